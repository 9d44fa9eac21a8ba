import { describe, expect, it } from 'vitest';
import { bytes, cycles, fleetReport, type BucketValue, type FleetStatusValue, type KeyStatusValue } from '../src/fleetReport';

const id = (text: string) => ({ toText: () => text });
const T = 1_000_000_000_000n;

function fleet(overrides: Partial<FleetStatusValue> = {}): FleetStatusValue {
    return {
        config: { top_up_below_cycles: T, runway_warning_days: 30 },
        wasm: [{ sha256: new Uint8Array(32).fill(0xab), state: { verified: null } }],
        provisioning: { phase: { idle: null }, idle_reason: ['enough free capacity'], provisioned_count: 2 },
        free_bytes: 5_000_000n,
        capacity_bytes: 6_000_000n,
        balance: 50n * T,
        burn_per_day: [T / 10n],
        runway_days: [500n],
        buckets: [
            { canister_id: id('b1'), cycles: [3n * T], module_hash: [new Uint8Array(32).fill(0xab)], status_error: [], top_up_error: [] },
            { canister_id: id('b2'), cycles: [2n * T], module_hash: [new Uint8Array(32).fill(0xab)], status_error: [], top_up_error: [] }
        ],
        rollout: [],
        warnings: [],
        ...overrides
    };
}
const buckets: BucketValue[] = [
    { canister_id: id('b1'), status: { active: null }, capacity_bytes: 3_000_000n, used_bytes: 1_000_000n, memory_count: 4n },
    { canister_id: id('b2'), status: { active: null }, capacity_bytes: 3_000_000n, used_bytes: 0n, memory_count: 0n }
];
const keys = (ackB2 = 3n): KeyStatusValue => ({
    version: 3n,
    keys: [{ kid: 'k2', state: { active: null } }],
    buckets: [
        { canister_id: id('b1'), acknowledged_version: 3n, acknowledged_kid: ['k2'], last_error: [] },
        { canister_id: id('b2'), acknowledged_version: ackB2, acknowledged_kid: [ackB2 === 3n ? 'k2' : 'k1'], last_error: ackB2 === 3n ? [] : ['Canister b2 is stopped'] }
    ]
});

describe('fleetReport', () => {
    it('draws a table of the buckets and the auth canister’s figures; all well means nothing to attend to', () => {
        const report = fleetReport(fleet(), buckets, keys());
        expect(report.attention).toEqual([]);
        expect(report.lines[0]).toMatch(/^bucket\s+status\s+used \/ capacity\s+memories\s+cycles\s+kid\s+module$/);
        expect(report.lines[1]).toMatch(/^b1\s+active\s+1\.0 MB \/ 3\.0 MB \(33\.3 %\)\s+4\s+3\.00T\s+k2\s+abababababab$/);
        expect(report.lines.join('\n')).toContain('auth cycles   50.00T, burning 0.10T a day, about 500 days left');
        expect(report.lines.join('\n')).toContain('provisioning  idle (enough free capacity), 2 provisioned so far');
        expect(report.lines.at(-1)).toBe('all well');
    });

    it('needs attention for the canister’s warnings, a full bucket, keys behind, and cycles below the threshold', () => {
        const report = fleetReport(
            fleet({ warnings: ['provisioning (creating) failed 2 time(s): out of cycles'], buckets: [fleet().buckets[0]!, { ...fleet().buckets[1]!, cycles: [T / 2n] }] }),
            [buckets[0]!, { ...buckets[1]!, status: { full: null } }],
            keys(2n)
        );
        expect(report.attention).toEqual([
            'provisioning (creating) failed 2 time(s): out of cycles',
            'bucket b2 is full',
            'bucket b2 has not acknowledged keyring version 3: Canister b2 is stopped',
            'bucket b2 holds 0.50T cycles, below the top-up threshold 1.00T'
        ]);
        expect(report.lines.join('\n')).toMatch(/b2\s+full\s+0 B \/ 3\.0 MB \(0\.0 %\)\s+0\s+0\.50T\s+k1 \(current k2\)/);
    });

    it('says when a bucket’s cycles are unknown, and reports a stopped roll-out', () => {
        const report = fleetReport(
            fleet({
                buckets: [{ canister_id: id('b1'), cycles: [], module_hash: [], status_error: ['not a controller'], top_up_error: [] }],
                rollout: [{ pending: [id('b1')], done: [], failed: [{ canister_id: id('b1'), error: 'upgrade refused' }], finished_at: [] }]
            }),
            [buckets[0]!],
            keys()
        );
        expect(report.lines.join('\n')).toContain('unknown (not a controller?)');
        expect(report.lines.join('\n')).toContain('upgrade       stopped at b1: 0 done, 1 pending');
    });

    it('formats bytes and cycles', () => {
        expect([bytes(0n), bytes(999n), bytes(1_500n), bytes(429_496_729_600n)]).toEqual(['0 B', '999 B', '1.5 KB', '429.5 GB']);
        expect(cycles(2_500_000_000_000n)).toBe('2.50T');
    });
});
