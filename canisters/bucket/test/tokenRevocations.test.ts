import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_LIFETIME_SECONDS, MemoryStore } from '@icp-private-assets/shared';
import { MAX_REVOCATIONS_PER_PUSH, TokenRevocations } from '../src/tokenRevocations';

const NOW = 1_800_000_000;

function fixture() {
    const store = new MemoryStore<string>();
    const revocations = new TokenRevocations(store);
    revocations.load();
    return { store, revocations };
}

describe('TokenRevocations', () => {
    it('holds a cutoff per memory that only moves forward (retries and reordered pushes are harmless)', () => {
        const { store, revocations } = fixture();
        expect(revocations.apply([{ memoryId: 'm1', notBefore: NOW }], NOW)).toEqual({ Ok: { active: 1 } });
        expect(revocations.apply([{ memoryId: 'm1', notBefore: NOW - 100 }, { memoryId: 'm2', notBefore: NOW + 1 }], NOW)).toEqual({ Ok: { active: 2 } });
        expect(revocations.notBefore('m1')).toBe(NOW);
        expect(revocations.apply([{ memoryId: 'm1', notBefore: NOW + 7 }], NOW)).toEqual({ Ok: { active: 2 } });
        expect(revocations.notBefore('m1')).toBe(NOW + 7);
        expect(revocations.notBefore('m3')).toBeUndefined();
        expect(store.get('m1')).toBe(String(NOW + 7));
    });

    it('survives a reload from the store (an upgrade)', () => {
        const { store, revocations } = fixture();
        revocations.apply([{ memoryId: 'm1', notBefore: NOW }], NOW);
        const reloaded = new TokenRevocations(store);
        reloaded.load();
        expect(reloaded.notBefore('m1')).toBe(NOW);
    });

    it('refuses a push with any invalid entry, changing nothing', () => {
        const { store, revocations } = fixture();
        expect(revocations.apply([{ memoryId: 'm1', notBefore: NOW }, { memoryId: '../x', notBefore: NOW }], NOW)).toEqual({ Err: { Invalid: 'invalid memory id' } });
        expect(revocations.apply([{ memoryId: 'm1', notBefore: NOW + 3_601 }], NOW)).toHaveProperty(['Err', 'Invalid']);
        expect(revocations.apply([{ memoryId: 'm1', notBefore: -1 }], NOW)).toHaveProperty(['Err', 'Invalid']);
        const many = Array.from({ length: MAX_REVOCATIONS_PER_PUSH + 1 }, (_, i) => ({ memoryId: `m${i}`, notBefore: NOW }));
        expect(revocations.apply(many, NOW)).toHaveProperty(['Err', 'Invalid']);
        expect(store.map.size).toBe(0);
        expect(revocations.size).toBe(0);
    });

    it('stays bounded: an entry goes once no token it could void can still verify', () => {
        const { store, revocations } = fixture();
        revocations.apply([{ memoryId: 'm1', notBefore: NOW }, { memoryId: 'm2', notBefore: NOW + 1000 }], NOW);
        const lastUseful = NOW + MAX_TOKEN_LIFETIME_SECONDS + 30 + 300;
        expect(revocations.sweep(lastUseful, 300)).toBe(0);
        expect(revocations.sweep(lastUseful + 1, 300)).toBe(1);
        expect(revocations.notBefore('m1')).toBeUndefined();
        expect(revocations.notBefore('m2')).toBe(NOW + 1000);
        expect([...store.map.keys()]).toEqual(['m2']);
        expect(revocations.sweep(lastUseful + 1001, 300)).toBe(1);
        expect(revocations.size).toBe(0);
    });
});
