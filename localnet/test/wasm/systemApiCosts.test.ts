import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SYSTEM_API_COSTS, systemApiCharge } from '../../src/wasm/systemApiCosts';
import { AZLE_TEMPLATES } from './wasmTestKit';

describe('system API charges', () => {
    it('charges the fixed overhead plus the IC per-byte rule', () => {
        expect(systemApiCharge('msg_arg_data_copy', [0, 0, 64])).toBe(564);
        expect(systemApiCharge('msg_reply_data_append', [0, 100])).toBe(500 + 50 * 100);
        expect(systemApiCharge('call_new', [0, 10, 0, 5, 0, 0, 0, 0])).toBe(1_515);
        expect(systemApiCharge('call_perform', [])).toBe(5_000);
        expect(systemApiCharge('performance_counter', [0])).toBe(200);
        expect(systemApiCharge('is_controller', [0, 29])).toBe(1_029);
    });

    it('charges canister-log bytes for debug_print and trap', () => {
        // 100 + 2 * 10 (log record) + 50 * 10 (transmitted) + 10 (printed)
        expect(systemApiCharge('debug_print', [0, 10])).toBe(630);
        expect(systemApiCharge('debug_print', [0, 10], { debugPrintEnabled: false })).toBe(620);
        // 500 + 10 + 2 * 10 + 50 * 4 (only 4 bytes left in the log)
        expect(systemApiCharge('trap', [0, 10], { logRemaining: 4 })).toBe(730);
    });

    it('charges wasm-native stable memory by size and newly dirtied pages', () => {
        expect(systemApiCharge('stable64_read', [0n, 0n, 100n])).toBe(120);
        expect(systemApiCharge('stable64_write', [0n, 0n, 8192n], { newlyDirtiedStablePages: 2 })).toBe(10_212);
        expect(systemApiCharge('stable64_grow', [1n])).toBe(100);
        expect(systemApiCharge('stable64_size', [])).toBe(0);
    });

    it('does not charge per byte on system subnets, except for stable memory', () => {
        expect(systemApiCharge('msg_reply_data_append', [0, 100], { subnetType: 'system' })).toBe(500);
        expect(systemApiCharge('stable64_write', [0n, 0n, 10n], { subnetType: 'system', newlyDirtiedStablePages: 1 })).toBe(30);
    });

    it('rejects unknown calls', () => {
        expect(() => systemApiCharge('msg_bogus', [])).toThrow(/no cost known/);
        expect(() => systemApiCharge('msg_arg_data_copy', [0, 0])).toThrow(/missing argument/);
    });

    it.each(['stable.wasm', 'experimental.wasm'])('covers every ic0 import of Azle %s', (file) => {
        const module = new WebAssembly.Module(readFileSync(new URL(file, AZLE_TEMPLATES)));
        const missing = WebAssembly.Module.imports(module)
            .filter((i) => i.module === 'ic0' && !(i.name in SYSTEM_API_COSTS))
            .map((i) => i.name);
        expect(missing).toEqual([]);
    });
});
