/**
 * How far a key rotation has got, from the auth canister's key_status: which buckets have the new
 * kid active, and for the others what they hold and why they lag. Pure, so the CLI's decisions
 * (done, lagging, what to print) are unit-tested.
 */

export interface BucketKeyStatus {
    readonly canisterId: string;
    readonly acknowledgedKid?: string;
    readonly acknowledgedVersion: bigint;
    readonly lastError?: string;
    readonly failedAttempts: number;
    /** Nanoseconds since the epoch. */
    readonly nextRetryAt?: bigint;
}

export interface BucketProgress extends BucketKeyStatus {
    readonly done: boolean;
}

export interface RotationProgress {
    readonly done: boolean;
    readonly buckets: readonly BucketProgress[];
    readonly lagging: readonly BucketProgress[];
}

const kidNumber = (kid: string | undefined) => (kid && /^k\d+$/.test(kid) ? Number(kid.slice(1)) : -1);

/** A bucket is done once its active kid is the rotation's kid or a newer one. */
export function rotationProgress(targetKid: string, buckets: readonly BucketKeyStatus[]): RotationProgress {
    const target = kidNumber(targetKid);
    const progress = buckets.map((b) => ({ ...b, done: kidNumber(b.acknowledgedKid) >= target }));
    const lagging = progress.filter((b) => !b.done);
    return { done: lagging.length === 0, buckets: progress, lagging };
}

/** One line per bucket, e.g. `  abc-cai  k3 → pending (2 failed pushes, retry in 8 s: canister stopped)`. */
export function describeBucket(b: BucketProgress, targetKid: string, nowNanos: bigint): string {
    if (b.done) return `  ${b.canisterId}  ${b.acknowledgedKid} ✓ acknowledged`;
    const holds = b.acknowledgedKid ?? 'no key';
    const parts: string[] = [];
    if (b.failedAttempts > 0) parts.push(`${b.failedAttempts} failed push${b.failedAttempts === 1 ? '' : 'es'}`);
    if (b.nextRetryAt !== undefined) parts.push(`retry in ${Math.max(0, Number((b.nextRetryAt - nowNanos) / 1_000_000_000n))} s`);
    const why = b.lastError ? `: ${b.lastError}` : '';
    return `  ${b.canisterId}  ${holds} → ${targetKid} pending${parts.length || why ? ` (${parts.join(', ')}${why})` : ''}`;
}
