import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { inWireOrder } from '@icp-private-assets/shared';
import { authTypes } from '../src/candid';
import { createMintCodec, type MintResultWire } from '../src/mintCandid';

const T = authTypes(IDL);
const codec = createMintCodec(IDL);
const hex = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as Uint8Array).toString('hex');

const variantArb = fc.constantFrom({ thumbnail: null }, { preview: null }, { placeholder: null }, { original: null });
const textArb = fc.string({ maxLength: 80, unit: 'grapheme' });
const optArb = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined }).map((v): [] | [T] => (v === undefined ? [] : [v]));
const mintArgsArb = fc
    .record({ memory_id: textArb, variants: fc.array(variantArb, { maxLength: 6 }), asset_ids: optArb(fc.array(textArb, { maxLength: 4 })), ttl_seconds: optArb(fc.nat({ max: 0xffffffff })) })
    .map((v) => ({ ...v }));
const batchArgsArb = fc.record({ memory_ids: fc.array(textArb, { maxLength: 8 }), variants: fc.array(variantArb, { maxLength: 4 }), ttl_seconds: optArb(fc.nat({ max: 0xffffffff })) }).map((v) => ({ ...v }));
const errorArb = fc.oneof(
    fc.constantFrom({ Anonymous: null }, { NotAuthorized: null }, { NotFound: null }, { NotReady: null }, { NoBucket: null }),
    textArb.map((t) => ({ InvalidRequest: t })),
    textArb.map((t) => ({ CallFailed: t }))
);
const resultArb: fc.Arbitrary<MintResultWire> = fc.oneof(
    fc
        .record({ token: textArb, bucket: fc.uint8Array({ maxLength: 29 }), expiresAt: fc.nat({ max: Number.MAX_SAFE_INTEGER }), kid: textArb })
        .map((m) => ({ Ok: { ...m } })),
    errorArb.map((e) => ({ Err: e as never }))
);
/** The same result as IDL.encode wants it. */
const asIdl = (r: MintResultWire) =>
    'Ok' in r ? { Ok: { token: r.Ok.token, bucket: Principal.fromUint8Array(r.Ok.bucket), expires_at: BigInt(r.Ok.expiresAt), kid: r.Ok.kid } } : { Err: r.Err };

describe('mint Candid codec', () => {
    it('decodes MintArgs exactly as IDL.decode does', () => {
        fc.assert(
            fc.property(mintArgsArb, (args) => {
                const bytes = new Uint8Array(IDL.encode([T.MintArgs], [args]));
                expect(codec.decodeMintArgs(bytes)).toEqual(IDL.decode([T.MintArgs], bytes)[0]);
            }),
            { numRuns: 300 }
        );
    });

    it('decodes batch arguments exactly as IDL.decode does', () => {
        fc.assert(
            fc.property(batchArgsArb, (args) => {
                const bytes = new Uint8Array(IDL.encode([T.BatchMintArgs], [args]));
                expect(codec.decodeBatchMintArgs(bytes)).toEqual(IDL.decode([T.BatchMintArgs], bytes)[0]);
            }),
            { numRuns: 200 }
        );
    });

    it('falls back to IDL.decode for other type tables (a client with an extra field) and refuses garbage', () => {
        const Wider = IDL.Record({ memory_id: IDL.Text, variants: IDL.Vec(T.Variant), asset_ids: IDL.Opt(IDL.Vec(IDL.Text)), ttl_seconds: IDL.Opt(IDL.Nat32), note: IDL.Text });
        const bytes = new Uint8Array(IDL.encode([Wider], [{ memory_id: 'm1', variants: [{ preview: null }], asset_ids: [], ttl_seconds: [60], note: 'hi' }]));
        expect(codec.decodeMintArgs(bytes)).toEqual({ memory_id: 'm1', variants: [{ preview: null }], asset_ids: [], ttl_seconds: [60] });
        expect(() => codec.decodeMintArgs(Uint8Array.of(1, 2, 3))).toThrow();
        const good = new Uint8Array(IDL.encode([T.MintArgs], [{ memory_id: 'm1', variants: [{ preview: null }], asset_ids: [], ttl_seconds: [] }]));
        for (let length = 0; length < good.length; length++) expect(() => codec.decodeMintArgs(good.subarray(0, length))).toThrow();
        // Point the one variant at tag 9 (there are four): the value part is laid out in field-id order.
        const prefixLength = IDL.encode([T.MintArgs], [{ memory_id: '', variants: [], asset_ids: [], ttl_seconds: [] }]).byteLength - 4;
        const sizes = { memory_id: 3, variants: 2, asset_ids: 1, ttl_seconds: 1 };
        let tagAt = prefixLength;
        for (const field of inWireOrder(['memory_id', 'variants', 'asset_ids', 'ttl_seconds'] as const)) {
            if (field === 'variants') break;
            tagAt += sizes[field];
        }
        const bad = Uint8Array.from(good);
        expect(bad[tagAt + 1]).toBe(inWireOrder(['thumbnail', 'preview', 'placeholder', 'original']).indexOf('preview'));
        bad[tagAt + 1] = 9;
        expect(() => codec.decodeMintArgs(bad)).toThrow();
        const Wide = IDL.Variant({ thumbnail: IDL.Null, preview: IDL.Null, placeholder: IDL.Null, original: IDL.Null, poster: IDL.Null });
        const WideArgs = IDL.Record({ memory_id: IDL.Text, variants: IDL.Vec(Wide), asset_ids: IDL.Opt(IDL.Vec(IDL.Text)), ttl_seconds: IDL.Opt(IDL.Nat32) });
        expect(() => codec.decodeMintArgs(new Uint8Array(IDL.encode([WideArgs], [{ memory_id: 'm1', variants: [{ poster: null }], asset_ids: [], ttl_seconds: [] }])))).toThrow();
    });

    it('encodes results byte for byte as IDL.encode does', () => {
        fc.assert(
            fc.property(resultArb, (result) => {
                expect(hex(codec.encodeMintResult(result))).toBe(hex(IDL.encode([T.MintedResult], [asIdl(result)])));
            }),
            { numRuns: 300 }
        );
    });

    it('encodes batch results byte for byte as IDL.encode does', () => {
        fc.assert(
            fc.property(fc.array(fc.record({ memoryId: textArb, result: resultArb }), { maxLength: 12 }), (items) => {
                const viaIdl = IDL.encode([T.BatchMintResult], [items.map((i) => ({ memory_id: i.memoryId, result: asIdl(i.result) }))]);
                expect(hex(codec.encodeBatchMintResult(items))).toBe(hex(viaIdl));
            }),
            { numRuns: 200 }
        );
    });
});
