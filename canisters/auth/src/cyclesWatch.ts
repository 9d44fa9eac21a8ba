/**
 * Cycles of the fleet: each bucket's balance as `canister_status` reports it (the auth canister
 * is a controller of the buckets it provisioned), top-ups below the threshold, and the auth
 * canister's own runway from its measured burn.
 */
import type { FleetConfig } from './fleetConfig';

export interface BucketCycles {
    readonly canisterId: string;
    cycles?: string;
    /** Lowercase hex of the installed module's SHA-256. */
    moduleHash?: string;
    idleBurnPerDay?: string;
    memoryBytes?: string;
    checkedAt?: string;
    /** Why the last status call failed (for a bucket the auth canister does not control: not a controller). */
    statusError?: string;
    lastTopUpAt?: string;
    topUpError?: string;
    toppedUp: string;
}

/** One reading of the auth canister's balance; `spent` counts cycles it gave away (creations, top-ups) so far. */
export interface BalanceSample {
    readonly at: string;
    readonly balance: string;
    readonly spent: string;
}

export const CYCLES_CHECK_NANOS = 60n * 1_000_000_000n;
const DAY_NANOS = 86_400n * 1_000_000_000n;
/** Samples kept for the burn rate: about a day at one a minute is plenty; the oldest anchors it. */
export const MAX_BALANCE_SAMPLES = 32;

/** Buckets to top up now: known balance below the threshold. */
export function topUpsDue(buckets: readonly BucketCycles[], config: FleetConfig): BucketCycles[] {
    if (config.topUpBelowCycles === 0n) return [];
    return buckets.filter((b) => b.cycles !== undefined && BigInt(b.cycles) < config.topUpBelowCycles);
}

/** Keeps the first sample and the most recent ones: the burn is measured over the longest span kept. */
export function withSample(samples: readonly BalanceSample[], sample: BalanceSample): BalanceSample[] {
    const all = [...samples, sample];
    return all.length <= MAX_BALANCE_SAMPLES ? all : [all[0]!, ...all.slice(all.length - MAX_BALANCE_SAMPLES + 1)];
}

/**
 * Cycles burned per day by the auth canister itself (execution, storage, calls), not counting
 * what it gave to buckets; undefined until two samples at least a minute apart exist.
 */
export function burnPerDay(samples: readonly BalanceSample[]): bigint | undefined {
    const first = samples[0];
    const last = samples[samples.length - 1];
    if (!first || !last || first === last) return undefined;
    const elapsed = BigInt(last.at) - BigInt(first.at);
    if (elapsed < 60n * 1_000_000_000n) return undefined;
    const burned = BigInt(first.balance) - BigInt(last.balance) - (BigInt(last.spent) - BigInt(first.spent));
    return burned <= 0n ? 0n : (burned * DAY_NANOS) / elapsed;
}

/** Days the balance lasts at `burn` per day; undefined when nothing is burned (or not yet measured). */
export function runwayDays(balance: bigint, burn: bigint | undefined): bigint | undefined {
    return burn === undefined || burn === 0n ? undefined : balance / burn;
}
