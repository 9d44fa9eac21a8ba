/**
 * Bucket figures that update calls change (uploads, deletions, keys). Counters bumped inside
 * http_request would vanish, since query changes never persist, so none are reported.
 */
import type { StoreTotals } from './assetStore';

export interface BucketMetrics {
    asset_count: bigint;
    stored_bytes: bigint;
    reserved_bytes: bigint;
    capacity_bytes: bigint;
    open_sessions: bigint;
    keyring_version: bigint;
    active_kid: [] | [string];
    uploads_committed: bigint;
    assets_deleted: bigint;
    revocations: bigint;
}

export function bucketMetrics(totals: StoreTotals, facts: { capacityBytes: number; openSessions: number; keyringVersion: bigint; activeKid?: string; revocations: number }): BucketMetrics {
    return {
        asset_count: BigInt(totals.assetCount),
        stored_bytes: BigInt(totals.storedBytes),
        reserved_bytes: BigInt(totals.reservedBytes),
        capacity_bytes: BigInt(facts.capacityBytes),
        open_sessions: BigInt(facts.openSessions),
        keyring_version: facts.keyringVersion,
        active_kid: facts.activeKid !== undefined ? [facts.activeKid] : [],
        uploads_committed: BigInt(totals.uploadsCommitted),
        assets_deleted: BigInt(totals.assetsDeleted),
        revocations: BigInt(facts.revocations)
    };
}

const HELP: Record<keyof Omit<BucketMetrics, 'active_kid'>, [string, 'gauge' | 'counter']> = {
    asset_count: ['Committed assets.', 'gauge'],
    stored_bytes: ['Bytes of committed assets.', 'gauge'],
    reserved_bytes: ['Bytes reserved by open upload sessions.', 'gauge'],
    capacity_bytes: ['Configured capacity.', 'gauge'],
    open_sessions: ['Open upload sessions.', 'gauge'],
    keyring_version: ['Version of the keyring last pushed by the auth canister.', 'gauge'],
    uploads_committed: ['Uploads committed since install.', 'counter'],
    assets_deleted: ['Assets deleted since install.', 'counter'],
    revocations: ['Memories with a pushed token revocation still in force.', 'gauge']
};

/** Prometheus text exposition format (version 0.0.4). */
export function metricsText(metrics: BucketMetrics): string {
    const lines: string[] = [];
    for (const [name, [help, type]] of Object.entries(HELP) as [keyof typeof HELP, [string, string]][]) {
        const metric = `bucket_${name}${type === 'counter' ? '_total' : ''}`;
        lines.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} ${type}`, `${metric} ${metrics[name].toString()}`);
    }
    return `${lines.join('\n')}\n`;
}
