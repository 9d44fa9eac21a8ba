/**
 * Provisioning a bucket, one at a time: create a canister with cycles, install the bucket wasm,
 * register it. The state is stored after every step, so a failure, a retry or an upgrade of the
 * auth canister resumes with the canister already created instead of paying for another.
 */
import { retryDelayNanos, type BucketRecord } from './bucketRegistry';
import type { FleetConfig } from './fleetConfig';

export type ProvisioningPhase = 'idle' | 'creating' | 'installing' | 'registering';

export interface ProvisioningState {
    phase: ProvisioningPhase;
    /** The canister created for this round (set from `installing` on). */
    canisterId?: string;
    /** Nanoseconds, decimal: when this round started (the threshold was found crossed). */
    startedAt?: string;
    attempts: number;
    lastError?: string;
    nextRetryAt?: string;
    /** The last bucket provisioned, and how long it took from the threshold to registration. */
    lastProvisioned?: { readonly canisterId: string; readonly at: string; readonly nanos: string };
    /** Buckets provisioned so far, and the cycles given to them at creation. */
    provisionedCount: number;
    cyclesSpent: string;
}

export const IDLE_PROVISIONING: ProvisioningState = { phase: 'idle', attempts: 0, provisionedCount: 0, cyclesSpent: '0' };

/** Free bytes on the buckets that take new memories. */
export function freeCapacity(buckets: readonly BucketRecord[]): number {
    return buckets.filter((b) => b.status === 'active').reduce((sum, b) => sum + Math.max(0, b.capacityBytes - b.usedBytes), 0);
}

/** Why a new bucket is not (yet) provisioned, or undefined when one is due now. */
export function provisioningBlocked(state: ProvisioningState, buckets: readonly BucketRecord[], config: FleetConfig, wasmInstallable: boolean, now: bigint): string | undefined {
    if (state.phase !== 'idle') return state.nextRetryAt !== undefined && now < BigInt(state.nextRetryAt) ? 'waiting to retry' : undefined;
    if (freeCapacity(buckets) >= config.minFreeBytes && buckets.some((b) => b.status === 'active')) return 'enough free capacity';
    if (buckets.length >= config.maxBuckets) return `max_buckets (${config.maxBuckets}) reached`;
    if (!wasmInstallable) return 'no bucket wasm ready (begin_bucket_wasm, put_bucket_wasm_chunk, commit_bucket_wasm)';
    return undefined;
}

export function started(state: ProvisioningState, now: bigint): ProvisioningState {
    return { ...state, phase: 'creating', startedAt: now.toString(), attempts: 0, lastError: undefined, nextRetryAt: undefined, canisterId: undefined };
}

export function created(state: ProvisioningState, canisterId: string, cycles: bigint): ProvisioningState {
    return { ...state, phase: 'installing', canisterId, attempts: 0, lastError: undefined, nextRetryAt: undefined, cyclesSpent: (BigInt(state.cyclesSpent) + cycles).toString() };
}

export function installed(state: ProvisioningState): ProvisioningState {
    return { ...state, phase: 'registering', attempts: 0, lastError: undefined, nextRetryAt: undefined };
}

export function registered(state: ProvisioningState, now: bigint): ProvisioningState {
    const canisterId = state.canisterId!;
    const nanos = (now - BigInt(state.startedAt ?? now.toString())).toString();
    return { ...IDLE_PROVISIONING, provisionedCount: state.provisionedCount + 1, cyclesSpent: state.cyclesSpent, lastProvisioned: { canisterId, at: now.toString(), nanos } };
}

/** A failed step: the same phase is retried after a backoff (5 s, 10 s … 5 min). */
export function failed(state: ProvisioningState, error: string, now: bigint): ProvisioningState {
    const attempts = state.attempts + 1;
    return { ...state, attempts, lastError: error.slice(0, 500), nextRetryAt: (now + retryDelayNanos(attempts)).toString() };
}
