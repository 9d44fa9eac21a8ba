/**
 * DEV ONLY. The local network has no Internet Identity, so local sign-in offers a few named
 * Ed25519 identities. Each is derived from a fixed public seed per name, so `npm run dev` knows
 * alice's and bob's principals (to seed their memories and shares) and the browser derives the
 * same keys. Anyone can derive these keys: they must never hold anything on mainnet, and a
 * mainnet build does not contain the dev sign-in (BUILD_NETWORK).
 */
import { sha256 } from '@noble/hashes/sha2';

export const DEV_IDENTITY_NAMES = ['alice', 'bob', 'carol', 'dave'] as const;
export type DevIdentityName = (typeof DEV_IDENTITY_NAMES)[number];

export const DEV_IDENTITY_SEED_LABEL = 'icp-private-assets/dev-identity/v1/';

export function isDevIdentityName(value: unknown): value is DevIdentityName {
    return typeof value === 'string' && (DEV_IDENTITY_NAMES as readonly string[]).includes(value);
}

/** The 32-byte Ed25519 seed of a dev identity: SHA-256 of the label and the name. */
export function devIdentitySeed(name: DevIdentityName): Uint8Array {
    if (!isDevIdentityName(name)) throw new TypeError(`unknown dev identity ${JSON.stringify(name)}`);
    return sha256(new TextEncoder().encode(`${DEV_IDENTITY_SEED_LABEL}${name}`));
}
