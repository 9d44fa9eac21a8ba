/** Token lifetimes and clock skew, with the rules that keep them consistent. */
import { MAX_TOKEN_LIFETIME_SECONDS, type Result } from '@icp-private-assets/shared';

export interface AuthConfig {
    readonly defaultTtlSeconds: number;
    readonly maxTtlSeconds: number;
    readonly uploadGrantTtlSeconds: number;
    readonly skewSeconds: number;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
    defaultTtlSeconds: 180,
    maxTtlSeconds: 3_600,
    uploadGrantTtlSeconds: 3_600,
    skewSeconds: 30
};

export type AuthConfigUpdate = Partial<AuthConfig>;

/** The config after `update`, or why it is refused (InvalidRequest text). */
export function applyAuthConfig(current: AuthConfig, update: AuthConfigUpdate): Result<AuthConfig, string> {
    const config = { ...current, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) } as AuthConfig;
    const { defaultTtlSeconds: d, maxTtlSeconds: max, uploadGrantTtlSeconds: upload, skewSeconds: skew } = config;
    if (![d, max, upload, skew].every((v) => Number.isSafeInteger(v) && v >= 0)) return { Err: 'durations must be whole seconds' };
    if (d < 1 || d > max) return { Err: 'default_ttl_seconds must be between 1 and max_ttl_seconds' };
    if (max > MAX_TOKEN_LIFETIME_SECONDS) return { Err: `max_ttl_seconds must be at most ${MAX_TOKEN_LIFETIME_SECONDS}` };
    if (upload < 60 || upload > MAX_TOKEN_LIFETIME_SECONDS) return { Err: `upload_grant_ttl_seconds must be between 60 and ${MAX_TOKEN_LIFETIME_SECONDS}` };
    if (skew > 300) return { Err: 'skew_seconds must be at most 300' };
    return { Ok: config };
}

/** How long a rotated-out key must stay verifiable after the last bucket switched away from it. */
export function overlapSeconds(config: AuthConfig): number {
    return config.maxTtlSeconds + config.skewSeconds;
}

/** The lifetime of a read token: the requested ttl, or the default, capped by the maximum. */
export function readTokenTtl(config: AuthConfig, requested: number | undefined): number {
    return Math.min(Math.max(1, requested ?? config.defaultTtlSeconds), config.maxTtlSeconds);
}
