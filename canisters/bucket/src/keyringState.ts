/**
 * The bucket's keyring as pushed by the auth canister: versioned, validated with the shared
 * Keyring rules, and serialized for stable memory. Secrets leave this module only in the stored
 * encoding, never in a status.
 */
import { bytesToHex as hex, hexToBytes as fromHex } from '@noble/hashes/utils';
import { Keyring, type KeyringEntry, type KeyState, type Result } from '@icp-private-assets/shared';

export interface KeyringState {
    readonly version: bigint;
    readonly entries: readonly KeyringEntry[];
}

export interface KeyringStatus {
    readonly version: bigint;
    readonly keys: readonly { kid: string; state: KeyState; notAfter?: number }[];
}

/** Why a push is refused, as set_keyring answers it. */
export type KeyringUpdateError = { readonly StaleVersion: { readonly current: bigint } } | { readonly Invalid: string };

/** The new state and keyring, `null` when the push repeats the current version, or why it is refused. */
export type KeyringUpdateResult = Result<{ readonly state: KeyringState; readonly keyring: Keyring } | null, KeyringUpdateError>;

export const EMPTY_KEYRING: KeyringState = { version: 0n, entries: [] };

/** Decides what a push does: newer versions replace, the current one is re-acknowledged, older ones are stale. */
export function applyKeyringUpdate(current: KeyringState, update: KeyringState): KeyringUpdateResult {
    if (update.version < current.version) return { Err: { StaleVersion: { current: current.version } } };
    if (update.version === current.version && current.version !== 0n) return { Ok: null };
    if (update.version === 0n) return { Err: { Invalid: 'version must be at least 1' } };
    let keyring: Keyring;
    try {
        keyring = Keyring.from(update.entries);
    } catch (error) {
        return { Err: { Invalid: (error as Error).message } };
    }
    return { Ok: { state: { version: update.version, entries: keyring.entries }, keyring } };
}

export function keyringStatus(state: KeyringState): KeyringStatus {
    return {
        version: state.version,
        keys: state.entries.map((e) => ({ kid: e.kid, state: e.state, ...(e.notAfter !== undefined ? { notAfter: e.notAfter } : {}) }))
    };
}


export function encodeKeyringState(state: KeyringState): string {
    return JSON.stringify({
        version: state.version.toString(),
        keys: state.entries.map((e) => ({ kid: e.kid, secret: hex(e.secret), state: e.state, notAfter: e.notAfter ?? null }))
    });
}

export function decodeKeyringState(text: string): KeyringState {
    const raw = JSON.parse(text) as { version: string; keys: { kid: string; secret: string; state: KeyState; notAfter: number | null }[] };
    return {
        version: BigInt(raw.version),
        entries: raw.keys.map((k) => ({
            kid: k.kid,
            secret: fromHex(k.secret),
            state: k.state,
            ...(k.notAfter !== null ? { notAfter: k.notAfter } : {})
        }))
    };
}
