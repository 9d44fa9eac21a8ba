import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { CandidDecodeError, candidFieldId, CandidReader, CandidWriter, inWireOrder, prefixMatcher, typeTablePrefix } from '../src/candidWire';

const Item = IDL.Record({ name: IDL.Text, owner: IDL.Principal, size: IDL.Nat64, limit: IDL.Opt(IDL.Nat32), tags: IDL.Vec(IDL.Text) });
const FIELDS = inWireOrder(['name', 'owner', 'size', 'limit', 'tags'] as const);
const prefix = typeTablePrefix(new Uint8Array(IDL.encode([Item], [{ name: '', owner: Principal.anonymous(), size: 0n, limit: [], tags: [] }])), [
    // in wire order: the empty value's bytes for each field
    ...FIELDS.flatMap((f) => ({ name: [0], owner: [1, 1, 4], size: [0, 0, 0, 0, 0, 0, 0, 0], limit: [0], tags: [0] })[f])
]);
const matchesPrefix = prefixMatcher(prefix);

interface ItemValue {
    name: string;
    owner: Principal;
    size: bigint;
    limit: [] | [number];
    tags: string[];
}

function write(value: ItemValue): Uint8Array {
    const w = new CandidWriter(prefix);
    for (const field of FIELDS) {
        if (field === 'name') w.text(value.name);
        else if (field === 'owner') w.principal(value.owner.toUint8Array());
        else if (field === 'size') w.nat64(Number(value.size));
        else if (field === 'limit') {
            if (value.limit.length === 0) w.byte(0);
            else w.byte(1).raw(new Uint8Array(Uint32Array.of(value.limit[0]).buffer));
        } else {
            w.leb(value.tags.length);
            for (const tag of value.tags) w.text(tag);
        }
    }
    return w.finish();
}

function read(bytes: Uint8Array): ItemValue {
    if (!matchesPrefix(bytes)) throw new Error('other table');
    const r = new CandidReader(bytes, prefix.length);
    const out: Partial<ItemValue> = {};
    for (const field of FIELDS) {
        if (field === 'name') out.name = r.text();
        else if (field === 'owner') {
            if (r.byte() !== 1) throw new CandidDecodeError('opaque principal');
            out.owner = Principal.fromUint8Array(r.take(r.leb()));
        } else if (field === 'size') {
            const b = r.take(8);
            out.size = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
        } else if (field === 'limit') out.limit = r.opt() ? [r.nat32()] : [];
        else out.tags = Array.from({ length: r.count() }, () => r.text());
    }
    if (!r.atEnd()) throw new CandidDecodeError('trailing bytes');
    return out as ItemValue;
}

const itemArb = fc.record({
    name: fc.string({ maxLength: 300, unit: 'grapheme' }),
    owner: fc.uint8Array({ minLength: 0, maxLength: 29 }).map((b) => Principal.fromUint8Array(b)),
    size: fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }),
    limit: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }).map((n): [] | [number] => (n === undefined ? [] : [n])),
    tags: fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 })
}).map((value) => ({ ...value })); // IDL.encode needs Object.prototype (fast-check builds null-prototype records)

describe('candid wire helpers', () => {
    it('compute field ids as the Candid specification does', () => {
        expect(candidFieldId('name')).toBe(1224700491); // the specification's example
        expect(candidFieldId('')).toBe(0);
        expect(inWireOrder(['Ok', 'Err'])).toEqual(candidFieldId('Ok') < candidFieldId('Err') ? ['Ok', 'Err'] : ['Err', 'Ok']);
    });

    it('write exactly what IDL.encode writes, any value', () => {
        fc.assert(
            fc.property(itemArb, (value) => {
                expect(Buffer.from(write(value)).toString('hex')).toBe(Buffer.from(IDL.encode([Item], [value])).toString('hex'));
            }),
            { numRuns: 300 }
        );
    });

    it('read back what IDL.encode writes, any value', () => {
        fc.assert(
            fc.property(itemArb, (value) => {
                const decoded = read(new Uint8Array(IDL.encode([Item], [value])));
                expect({ ...decoded, owner: decoded.owner.toText() }).toEqual({ ...value, owner: value.owner.toText() });
            }),
            { numRuns: 300 }
        );
    });

    it('refuse every truncation and bad tags with CandidDecodeError, never another error', () => {
        const bytes = new Uint8Array(IDL.encode([Item], [{ name: 'héllo', owner: Principal.fromText('aaaaa-aa'), size: 7n, limit: [9], tags: ['a', 'b'] }]));
        for (let length = prefix.length; length < bytes.length; length++) {
            expect(() => read(bytes.subarray(0, length))).toThrow(CandidDecodeError);
        }
        expect(() => new CandidReader(Uint8Array.of(2)).opt()).toThrow(CandidDecodeError);
        expect(() => new CandidReader(Uint8Array.of(4)).tag(4)).toThrow(CandidDecodeError);
        expect(() => new CandidReader(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80)).leb()).toThrow(CandidDecodeError);
        expect(() => new CandidReader(Uint8Array.of(5, 1, 2)).count()).toThrow(CandidDecodeError);
        expect(() => new CandidReader(Uint8Array.of(2, 0xc3, 0x28)).text()).toThrow(CandidDecodeError);
    });

    it('match a prefix exactly, any bytes (0x80–0xff included), any length', () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), (head, tail) => {
                const matches = prefixMatcher(head);
                expect(matches(Uint8Array.from([...head, ...tail]))).toBe(true);
                expect(matches(head.subarray(0, head.length - 1))).toBe(head.length === 0);
                if (head.length > 0) {
                    const changed = Uint8Array.from(head);
                    const at = tail.length % head.length;
                    changed[at] = changed[at]! ^ 0x80;
                    expect(matches(Uint8Array.from([...changed, ...tail]))).toBe(false);
                }
            })
        );
        expect(prefixMatcher(new Uint8Array(5000).fill(0xfe))(new Uint8Array(5001).fill(0xfe))).toBe(true);
    });

    it('find the type table only where the value bytes match', () => {
        expect(() => typeTablePrefix(new Uint8Array(IDL.encode([IDL.Nat32], [5])), [0, 0, 0, 0])).toThrow(/cannot find/);
        expect(typeTablePrefix(new Uint8Array(IDL.encode([IDL.Nat32], [0])), [0, 0, 0, 0]).length).toBe(new Uint8Array(IDL.encode([IDL.Nat32], [0])).length - 4);
    });
});
