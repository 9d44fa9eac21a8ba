/**
 * How the auth canister grows and feeds its fleet of buckets (docs/auth-interface.md, "Fleet"):
 * when to provision a bucket, with what, and when to top one up.
 */
import type { Result } from '@icp-private-assets/shared';

export interface FleetConfig {
    /** Provision a bucket when the free capacity of active buckets falls below this. */
    readonly minFreeBytes: number;
    /** Capacity of a provisioned bucket (registered, and the bucket's own quota). */
    readonly bucketCapacityBytes: number;
    /** Cycles a new bucket is created with, from the auth canister's balance. */
    readonly cyclesPerBucket: bigint;
    /** No provisioning beyond this many registered buckets. */
    readonly maxBuckets: number;
    /** Controllers of new buckets besides the auth canister. */
    readonly operators: readonly string[];
    /** A bucket whose balance is below this is topped up ... */
    readonly topUpBelowCycles: bigint;
    /** ... by this many cycles. */
    readonly topUpCycles: bigint;
    /** Warn when the auth canister's own balance lasts fewer days than this at the measured burn. */
    readonly runwayWarningDays: number;
}

const GIB = 1024 ** 3;
const T = 1_000_000_000_000n;

export const DEFAULT_FLEET_CONFIG: FleetConfig = {
    minFreeBytes: 50 * GIB,
    bucketCapacityBytes: 400 * GIB,
    cyclesPerBucket: 2n * T,
    maxBuckets: 100,
    operators: [],
    topUpBelowCycles: T,
    topUpCycles: T,
    runwayWarningDays: 30
};

/** Creating a canister costs 0.5T cycles on a 13-node subnet; less could not even pay for it. */
export const MIN_CYCLES_PER_BUCKET = 600_000_000_000n;
/** The IC allows 10 controllers per canister; the auth canister is one of them. */
export const MAX_OPERATORS = 8;
/** A canister's stable memory holds at most 500 GiB. */
const MAX_BUCKET_BYTES = 500 * GIB;

export type FleetConfigUpdate = { -readonly [K in keyof FleetConfig]?: FleetConfig[K] };

/** The config after `update`, or why it is refused (InvalidRequest text). */
export function applyFleetConfig(current: FleetConfig, update: FleetConfigUpdate, isPrincipal: (text: string) => boolean): Result<FleetConfig, string> {
    const config: FleetConfig = { ...current, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) };
    const { minFreeBytes, bucketCapacityBytes, cyclesPerBucket, maxBuckets, operators, topUpBelowCycles, topUpCycles, runwayWarningDays } = config;
    if (!Number.isSafeInteger(minFreeBytes) || minFreeBytes < 0) return { Err: 'min_free_bytes must be a whole number of bytes' };
    if (!Number.isSafeInteger(bucketCapacityBytes) || bucketCapacityBytes < 1 || bucketCapacityBytes > MAX_BUCKET_BYTES) {
        return { Err: `bucket_capacity_bytes must be between 1 and ${MAX_BUCKET_BYTES}` };
    }
    if (cyclesPerBucket < MIN_CYCLES_PER_BUCKET) return { Err: `cycles_per_bucket must be at least ${MIN_CYCLES_PER_BUCKET} (creating a canister costs 0.5T)` };
    if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 0 || maxBuckets > 10_000) return { Err: 'max_buckets must be between 0 and 10000' };
    if (operators.length > MAX_OPERATORS) return { Err: `at most ${MAX_OPERATORS} operators` };
    if (new Set(operators).size !== operators.length) return { Err: 'operators must not repeat' };
    const notPrincipal = operators.find((o) => !isPrincipal(o) || o === '2vxsx-fae');
    if (notPrincipal !== undefined) return { Err: `operator ${notPrincipal.slice(0, 80)} is not a principal that can control a canister` };
    if (topUpBelowCycles < 0n || topUpCycles < 0n) return { Err: 'cycle amounts must not be negative' };
    if (topUpBelowCycles > 0n && topUpCycles === 0n) return { Err: 'top_up_cycles must be positive when top_up_below_cycles is' };
    if (!Number.isSafeInteger(runwayWarningDays) || runwayWarningDays < 0 || runwayWarningDays > 3650) return { Err: 'runway_warning_days must be between 0 and 3650' };
    return { Ok: config };
}
