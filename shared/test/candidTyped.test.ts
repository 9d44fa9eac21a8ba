import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { candidTyped, type CandidValue } from '../src/candidTyped';

const { record, variant, vec, opt, nat32, nat64, text, principal } = candidTyped(IDL);
const Role = variant({ viewer: IDL.Null, owner: IDL.Null });
const Grant = record({ memory_id: text, principal, role: Role, limit: opt(nat32), names: vec(text), size: nat64 });

describe('candidTyped', () => {
    it('builds the same Candid types as the IDL constructors', () => {
        const plain = IDL.Record({ memory_id: IDL.Text, principal: IDL.Principal, role: IDL.Variant({ viewer: IDL.Null, owner: IDL.Null }), limit: IDL.Opt(IDL.Nat32), names: IDL.Vec(IDL.Text), size: IDL.Nat64 });
        const value: CandidValue<typeof Grant> = { memory_id: 'm1', principal: Principal.anonymous(), role: { owner: null }, limit: [7], names: ['a', 'b'], size: 2n };
        expect(Grant.display()).toBe(plain.display());
        expect(new Uint8Array(IDL.encode([Grant], [value]))).toEqual(new Uint8Array(IDL.encode([plain], [value])));
        expect(IDL.decode([Grant], IDL.encode([plain], [value]))[0]).toEqual(value);
    });

    it('derives the value type from the one definition, and refuses vectors of numbers (typed arrays at run time)', () => {
        // @ts-expect-error vec(nat64) decodes as a BigUint64Array, not bigint[]
        vec(nat64);
        expectTypeOf<CandidValue<typeof Grant>>().toEqualTypeOf<{ memory_id: string; principal: Principal; role: { viewer: null } | { owner: null }; limit: [] | [number]; names: string[]; size: bigint }>();
    });
});
