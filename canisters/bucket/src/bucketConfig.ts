/** The bucket's configuration: defaults, limits and how install/upgrade arguments change it. */
import type { Result } from '@icp-private-assets/shared';

export const MAX_CHUNK_SIZE = 1_899_968; // largest multiple of 64 not above 1.9 MB
export const CHUNK_ALIGNMENT = 64;
/** Streams may outlive their access token by at most this (revocation entries are kept this much longer). */
export const MAX_STREAM_GRACE_SECONDS = 3_600;

export interface BucketConfig {
    readonly authCanister: string;
    readonly maxAssetSize: number;
    readonly chunkSize: number;
    readonly streamGraceSeconds: number;
    readonly sessionTtlSeconds: number;
    readonly capacityBytes: number;
}

export interface BucketConfigUpdate {
    readonly maxAssetSize?: number;
    readonly chunkSize?: number;
    readonly streamGraceSeconds?: number;
    readonly sessionTtlSeconds?: number;
    readonly capacityBytes?: number;
}

export const DEFAULT_CONFIG: Omit<BucketConfig, 'authCanister'> = {
    maxAssetSize: 100_000_000,
    chunkSize: MAX_CHUNK_SIZE,
    streamGraceSeconds: 300,
    sessionTtlSeconds: 3_600,
    capacityBytes: 400 * 1024 * 1024 * 1024
};

/** The config, or why it is refused. */
export type ConfigResult = Result<BucketConfig, string>;

/** Applies an install/upgrade argument to the current config (or the defaults). */
export function applyConfigUpdate(current: BucketConfig | undefined, authCanister: string, update: BucketConfigUpdate = {}): ConfigResult {
    const base = current ?? { ...DEFAULT_CONFIG, authCanister };
    const config: BucketConfig = {
        authCanister,
        maxAssetSize: update.maxAssetSize ?? base.maxAssetSize,
        chunkSize: update.chunkSize ?? base.chunkSize,
        streamGraceSeconds: update.streamGraceSeconds ?? base.streamGraceSeconds,
        sessionTtlSeconds: update.sessionTtlSeconds ?? base.sessionTtlSeconds,
        capacityBytes: update.capacityBytes ?? base.capacityBytes
    };
    if (!Number.isSafeInteger(config.maxAssetSize) || config.maxAssetSize < 1) {
        return { Err: 'max_asset_size must be at least 1 byte' };
    }
    if (config.chunkSize < CHUNK_ALIGNMENT || config.chunkSize > MAX_CHUNK_SIZE || config.chunkSize % CHUNK_ALIGNMENT !== 0) {
        return { Err: `chunk_size must be a multiple of ${CHUNK_ALIGNMENT} between ${CHUNK_ALIGNMENT} and ${MAX_CHUNK_SIZE}` };
    }
    if (!Number.isSafeInteger(config.streamGraceSeconds) || config.streamGraceSeconds > MAX_STREAM_GRACE_SECONDS) {
        return { Err: `stream_grace_seconds must be at most ${MAX_STREAM_GRACE_SECONDS}` };
    }
    if (config.sessionTtlSeconds < 60) return { Err: 'session_ttl_seconds must be at least 60' };
    if (!Number.isSafeInteger(config.capacityBytes) || config.capacityBytes < 1) {
        return { Err: 'capacity_bytes must be at least 1 byte' };
    }
    return { Ok: config };
}
