/**
 * What `npm run status` prints, from the auth canister's fleet_status, list_buckets and key_status
 * (Candid values as the agent decodes them): a table of buckets and the auth canister's own
 * figures, and the list of things that need attention (non-empty: the command exits 1).
 */
type Opt<T> = [] | [T];
interface PrincipalLike {
    toText(): string;
}

export interface BucketValue {
    canister_id: PrincipalLike;
    status: Record<string, null>;
    capacity_bytes: bigint;
    used_bytes: bigint;
    memory_count: bigint;
}
export interface BucketCyclesValue {
    canister_id: PrincipalLike;
    cycles: Opt<bigint>;
    module_hash: Opt<Uint8Array | number[]>;
    status_error: Opt<string>;
    top_up_error: Opt<string>;
}
export interface BucketKeysValue {
    canister_id: PrincipalLike;
    acknowledged_version: bigint;
    acknowledged_kid: Opt<string>;
    last_error: Opt<string>;
}
export interface FleetStatusValue {
    config: { top_up_below_cycles: bigint; runway_warning_days: number };
    wasm: Opt<{ sha256: Uint8Array | number[]; state: Record<string, unknown> }>;
    provisioning: { phase: Record<string, null>; idle_reason: Opt<string>; provisioned_count: number };
    free_bytes: bigint;
    capacity_bytes: bigint;
    balance: bigint;
    burn_per_day: Opt<bigint>;
    runway_days: Opt<bigint>;
    buckets: BucketCyclesValue[];
    rollout: Opt<{ pending: PrincipalLike[]; done: PrincipalLike[]; failed: Opt<{ canister_id: PrincipalLike; error: string }>; finished_at: Opt<bigint> }>;
    warnings: string[];
}
export interface KeyStatusValue {
    version: bigint;
    keys: { kid: string; state: Record<string, null> }[];
    buckets: BucketKeysValue[];
}

export interface FleetReport {
    readonly lines: string[];
    /** Things that need someone's attention; the command exits 1 when there are any. */
    readonly attention: string[];
}

const variant = (value: Record<string, unknown>) => Object.keys(value)[0] ?? '?';
const hex = (bytes: Uint8Array | number[]) => Buffer.from(bytes).toString('hex');

/** 1234567 → "1.2 MB" (decimal units, as capacities are configured). */
export function bytes(n: bigint): string {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let value = Number(n);
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
        value /= 1000;
        unit += 1;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Cycles in T (10^12), e.g. "2.50T". */
export function cycles(n: bigint): string {
    return `${(Number(n) / 1e12).toFixed(2)}T`;
}

function pad(cells: string[][]): string[] {
    const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
    return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

export function fleetReport(fleet: FleetStatusValue, buckets: readonly BucketValue[], keys: KeyStatusValue): FleetReport {
    const activeKid = keys.keys.find((k) => 'active' in k.state)?.kid ?? '(none)';
    const attention = [...fleet.warnings];
    const rows: string[][] = [['bucket', 'status', 'used / capacity', 'memories', 'cycles', 'kid', 'module']];
    for (const bucket of buckets) {
        const id = bucket.canister_id.toText();
        const cyclesRecord = fleet.buckets.find((b) => b.canister_id.toText() === id);
        const keyRecord = keys.buckets.find((b) => b.canister_id.toText() === id);
        const percent = bucket.capacity_bytes === 0n ? 0 : Number((bucket.used_bytes * 1000n) / bucket.capacity_bytes) / 10;
        const kid = keyRecord?.acknowledged_kid[0] ?? '(none)';
        const balance = cyclesRecord?.cycles[0];
        const moduleHash = cyclesRecord?.module_hash[0];
        rows.push([
            id,
            variant(bucket.status),
            `${bytes(bucket.used_bytes)} / ${bytes(bucket.capacity_bytes)} (${percent.toFixed(1)} %)`,
            String(bucket.memory_count),
            balance === undefined ? (cyclesRecord?.status_error[0] ? 'unknown (not a controller?)' : 'not checked yet') : cycles(balance),
            kid === activeKid ? kid : `${kid} (current ${activeKid})`,
            moduleHash === undefined ? '-' : hex(moduleHash).slice(0, 12)
        ]);
        if ('full' in bucket.status) attention.push(`bucket ${id} is full`);
        if (keyRecord && keyRecord.acknowledged_version < keys.version) {
            attention.push(`bucket ${id} has not acknowledged keyring version ${keys.version}${keyRecord.last_error[0] ? `: ${keyRecord.last_error[0]}` : ''}`);
        }
        if (balance !== undefined && fleet.config.top_up_below_cycles > 0n && balance < fleet.config.top_up_below_cycles) {
            attention.push(`bucket ${id} holds ${cycles(balance)} cycles, below the top-up threshold ${cycles(fleet.config.top_up_below_cycles)}`);
        }
    }
    const wasm = fleet.wasm[0];
    const rollout = fleet.rollout[0];
    const lines = [
        ...(buckets.length > 0 ? pad(rows) : ['no buckets registered']),
        '',
        `capacity      ${bytes(fleet.free_bytes)} free of ${bytes(fleet.capacity_bytes)} on active buckets`,
        `keys          version ${keys.version}, signing with ${activeKid}`,
        `auth cycles   ${cycles(fleet.balance)}${fleet.burn_per_day[0] !== undefined ? `, burning ${cycles(fleet.burn_per_day[0])} a day` : ''}${fleet.runway_days[0] !== undefined ? `, about ${fleet.runway_days[0]} days left` : ''}`,
        `bucket wasm   ${wasm ? `${hex(wasm.sha256).slice(0, 12)} (${variant(wasm.state)})` : 'none uploaded'}`,
        `provisioning  ${variant(fleet.provisioning.phase)}${fleet.provisioning.idle_reason[0] ? ` (${fleet.provisioning.idle_reason[0]})` : ''}, ${fleet.provisioning.provisioned_count} provisioned so far`,
        ...(rollout
            ? [
                  `upgrade       ${rollout.failed[0] ? `stopped at ${rollout.failed[0].canister_id.toText()}` : rollout.finished_at.length > 0 ? 'finished' : 'under way'}: ${rollout.done.length} done, ${rollout.pending.length} pending`
              ]
            : [])
    ];
    return { lines: [...lines, '', ...(attention.length === 0 ? ['all well'] : ['needs attention:', ...attention.map((a) => `  - ${a}`)])], attention };
}
