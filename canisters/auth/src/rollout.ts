/**
 * A rolling upgrade of every bucket to the stored wasm: one bucket at a time, each checked after
 * its upgrade (module hash, health, keys still acknowledged) before the next; the first failure
 * stops the roll-out and says where. Stored after every bucket, so it resumes after an upgrade of
 * the auth canister.
 */

export interface Rollout {
    /** Lowercase hex SHA-256 of the module being rolled out. */
    readonly wasmSha256: string;
    /** Buckets still to upgrade, in order; the first is the one under way. */
    pending: string[];
    done: string[];
    failed?: { readonly canisterId: string; readonly error: string; readonly at: string };
    readonly startedAt: string;
    finishedAt?: string;
}

export function startRollout(wasmSha256: string, buckets: readonly string[], now: bigint): Rollout {
    return { wasmSha256, pending: [...buckets], done: [], startedAt: now.toString(), ...(buckets.length === 0 ? { finishedAt: now.toString() } : {}) };
}

export function isActive(rollout: Rollout | undefined): boolean {
    return rollout !== undefined && rollout.finishedAt === undefined && rollout.failed === undefined;
}

export function bucketUpgraded(rollout: Rollout, canisterId: string, now: bigint): Rollout {
    const pending = rollout.pending.filter((id) => id !== canisterId);
    return { ...rollout, pending, done: [...rollout.done, canisterId], ...(pending.length === 0 ? { finishedAt: now.toString() } : {}) };
}

export function rolloutFailed(rollout: Rollout, canisterId: string, error: string, now: bigint): Rollout {
    return { ...rollout, failed: { canisterId, error: error.slice(0, 500), at: now.toString() } };
}

/** What went wrong after an upgrade, or undefined when the bucket passed every check. */
export function upgradeProblem(check: { moduleHash?: string; wasmSha256: string; healthy: boolean | string; keyringVersion?: bigint; ackedVersion: bigint }): string | undefined {
    if (check.moduleHash !== check.wasmSha256) return `module hash after the upgrade is ${check.moduleHash ?? 'empty'}, not ${check.wasmSha256}`;
    if (check.healthy !== true) return `health check failed: ${check.healthy === false ? 'no answer' : check.healthy}`;
    if (check.keyringVersion === undefined || check.keyringVersion < check.ackedVersion) {
        return `keys lost: the bucket holds keyring version ${check.keyringVersion ?? 'none'}, it had acknowledged ${check.ackedVersion}`;
    }
    return undefined;
}
