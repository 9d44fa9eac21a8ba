/**
 * Master keys and their lifecycle (docs/auth-interface.md, "Key lifecycle"), as pure functions of
 * an explicit state and time: reserving and completing rotations (merging concurrent ones),
 * what each bucket's keyring contains, which kid to mint with for a bucket, and when an old kid
 * can be retired. Secrets are hex strings in the state; nothing here returns them to callers.
 */
import { bytesToHex as hex, hexToBytes as fromHex } from '@noble/hashes/utils';
import { deriveBucketKey, type KeyringEntry } from '@icp-private-assets/shared';
import type { BucketRecord } from './bucketRegistry';

export interface MasterKey {
    readonly kid: string;
    readonly secretHex: string;
    readonly createdAt: string;
    state: 'active' | 'verify-only';
    /** When it stopped being the active key (nanoseconds, decimal). */
    deactivatedAt?: string;
}

export interface KeyState {
    /** Keyring version: incremented by every change to the set of keys. */
    version: string;
    nextKidNumber: number;
    masters: MasterKey[];
    /** A rotation waiting for raw_rand. */
    pending?: { kid: string; requestedAt: string };
}

export const EMPTY_KEY_STATE: KeyState = { version: '0', nextKidNumber: 1, masters: [] };

/** Verify-only keys are retired this long after deactivation even if a bucket never caught up. */
export const FORCED_RETIREMENT_NANOS = 7n * 24n * 3600n * 1_000_000_000n;


export function kidNumber(kid: string): number {
    return Number(kid.slice(1));
}

export function activeMaster(state: KeyState): MasterKey | undefined {
    return state.masters.find((m) => m.state === 'active');
}

export function isReady(state: KeyState): boolean {
    return activeMaster(state) !== undefined;
}

/** Starts a rotation, or joins the one in flight (merged). */
export function reserveRotation(state: KeyState, now: bigint): { state: KeyState; kid: string; merged: boolean } {
    if (state.pending) return { state, kid: state.pending.kid, merged: true };
    const kid = `k${state.nextKidNumber}`;
    return { state: { ...state, nextKidNumber: state.nextKidNumber + 1, pending: { kid, requestedAt: now.toString() } }, kid, merged: false };
}

/** Installs the reserved kid with its fresh secret: it becomes active, the previous ones verify-only. */
export function completeRotation(state: KeyState, kid: string, secret: Uint8Array, now: bigint): KeyState {
    if (state.pending?.kid !== kid) throw new Error(`no pending rotation for ${kid}`);
    if (secret.length < 32) throw new Error('a master secret needs 32 bytes');
    const masters = state.masters.map((m) =>
        m.state === 'active' ? { ...m, state: 'verify-only' as const, deactivatedAt: now.toString() } : m
    );
    masters.push({ kid, secretHex: hex(secret), createdAt: now.toString(), state: 'active' });
    const { pending: _done, ...rest } = state;
    return { ...rest, masters, version: (BigInt(state.version) + 1n).toString() };
}

/** Gives up a rotation whose raw_rand failed, so that the next request starts afresh. */
export function abandonRotation(state: KeyState): KeyState {
    const { pending: _dropped, ...rest } = state;
    return rest;
}

/** The keyring for one bucket at the current version: derived keys, newest active. */
export function keyringFor(state: KeyState, bucket: string): { version: bigint; entries: KeyringEntry[] } {
    return {
        version: BigInt(state.version),
        entries: state.masters.map((m) => ({
            kid: m.kid,
            secret: deriveBucketKey(fromHex(m.secretHex), m.kid, bucket),
            state: m.state === 'active' ? 'active' : 'verify-only'
        }))
    };
}

/** The master to mint with for a bucket: the newest kid it acknowledged, if still held. */
export function mintingMaster(state: KeyState, bucket: BucketRecord): MasterKey | undefined {
    if (!bucket.ackedKid) return undefined;
    return state.masters.find((m) => m.kid === bucket.ackedKid);
}

export function deriveFromMaster(master: MasterKey, bucket: string): Uint8Array {
    return deriveBucketKey(fromHex(master.secretHex), master.kid, bucket);
}

/**
 * Verify-only kids that may be retired now: every bucket acknowledged a newer active kid at least
 * the overlap ago, or the kid has been inactive for FORCED_RETIREMENT_NANOS.
 */
export function retirable(state: KeyState, buckets: readonly BucketRecord[], now: bigint, overlapNanos: bigint): string[] {
    const out: string[] = [];
    for (const master of state.masters) {
        if (master.state !== 'verify-only' || master.deactivatedAt === undefined) continue;
        if (now - BigInt(master.deactivatedAt) >= FORCED_RETIREMENT_NANOS) {
            out.push(master.kid);
            continue;
        }
        const caughtUp = buckets.every((b) => b.ackedKid !== undefined && kidNumber(b.ackedKid) > kidNumber(master.kid) && b.ackedKidSince !== undefined);
        if (!caughtUp) continue;
        const lastSwitch = buckets.reduce((latest, b) => (BigInt(b.ackedKidSince!) > latest ? BigInt(b.ackedKidSince!) : latest), 0n);
        if (now - lastSwitch >= overlapNanos) out.push(master.kid);
    }
    return out;
}

/** Removes retired kids (their secrets go with them) and bumps the version so buckets drop them too. */
export function retire(state: KeyState, kids: readonly string[]): KeyState {
    if (kids.length === 0) return state;
    return {
        ...state,
        masters: state.masters.filter((m) => !kids.includes(m.kid)),
        version: (BigInt(state.version) + 1n).toString()
    };
}

/** Buckets to push to now: behind the current version, not already being pushed, retry time reached. */
export function pushesDue(state: KeyState, buckets: readonly BucketRecord[], now: bigint): BucketRecord[] {
    if (!isReady(state)) return [];
    const version = BigInt(state.version);
    return buckets.filter((b) => BigInt(b.ackedVersion) < version && !b.pushInFlight && (b.nextRetryAt === undefined || now >= BigInt(b.nextRetryAt)));
}

/** What a set_keyring call came back with. */
export type PushOutcome =
    | { readonly kind: 'acknowledged'; readonly version: bigint; readonly activeKid?: string }
    | { readonly kind: 'refused'; readonly error: string }
    | { readonly kind: 'failed'; readonly error: string };

/**
 * Records a push's outcome on the bucket's record (read again after the await). An acknowledgement
 * never moves the acknowledged version backwards; a failure schedules a retry with backoff.
 */
export function recordPush(record: BucketRecord, outcome: PushOutcome, now: bigint, retryDelay: (attempts: number) => bigint): void {
    record.pushInFlight = false;
    record.lastPushAt = now.toString();
    if (outcome.kind === 'acknowledged') {
        if (outcome.version >= BigInt(record.ackedVersion)) {
            record.ackedVersion = outcome.version.toString();
            if (outcome.activeKid !== undefined && outcome.activeKid !== record.ackedKid) {
                record.ackedKid = outcome.activeKid;
                record.ackedKidSince = now.toString();
            }
        }
        record.failedAttempts = 0;
        delete record.lastError;
        delete record.nextRetryAt;
        return;
    }
    record.failedAttempts += 1;
    record.lastError = outcome.error;
    record.nextRetryAt = (now + retryDelay(record.failedAttempts)).toString();
}
