import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../src/wasm/byteReader';
import { ByteWriter } from '../../src/wasm/byteWriter';

describe('LEB128', () => {
    it('round-trips u32', () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (value) => {
                const w = new ByteWriter(1);
                w.u32(value);
                expect(new ByteReader(w.toBytes()).u32()).toBe(value);
            })
        );
    });

    it('round-trips signed values as i32 and i64 immediates', () => {
        fc.assert(
            fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (value) => {
                const w = new ByteWriter(1);
                w.signed(value);
                const bytes = w.toBytes();
                expect(new ByteReader(bytes).signed(32)).toBe(value);
                const big = new ByteWriter(1);
                big.signedBig(BigInt(value));
                expect(big.toBytes()).toEqual(bytes);
            })
        );
        fc.assert(
            fc.property(fc.maxSafeInteger(), (value) => {
                const w = new ByteWriter(1);
                w.signed(value);
                expect(new ByteReader(w.toBytes()).signed(64)).toBe(value);
            })
        );
    });

    it('encodes known values minimally', () => {
        const enc = (f: (w: ByteWriter) => void): number[] => {
            const w = new ByteWriter(1);
            f(w);
            return [...w.toBytes()];
        };
        expect(enc((w) => w.u32(624485))).toEqual([0xe5, 0x8e, 0x26]);
        expect(enc((w) => w.signed(-123456))).toEqual([0xc0, 0xbb, 0x78]);
        expect(enc((w) => w.signed(63))).toEqual([0x3f]);
        expect(enc((w) => w.signed(64))).toEqual([0xc0, 0x00]);
        expect(enc((w) => w.signed(-64))).toEqual([0x40]);
        expect(enc((w) => w.signedBig((1n << 63n) - 1n))).toEqual([...Array(9).fill(0xff), 0x00]);
    });

    it('patches reserved slots with padded encodings that still decode', () => {
        const w = new ByteWriter(1);
        const slot = w.reserveU32();
        w.bytes([1, 2, 3]);
        w.patchLengthSince(slot);
        const bytes = w.toBytes();
        expect(bytes.length).toBe(8);
        expect(new ByteReader(bytes).u32()).toBe(3);
    });

    it('rejects overlong or out-of-range encodings', () => {
        expect(() => new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x1f])).u32()).toThrow(/out of range/);
        expect(() => new ByteReader(new Uint8Array([0x80, 0x80])).u32()).toThrow(/unexpected end/);
    });
});
