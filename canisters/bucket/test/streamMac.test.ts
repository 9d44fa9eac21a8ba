import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VARIANTS } from '@icp-private-assets/shared';
import { BOUND_ETAG_CHARS, BOUND_TOKEN_MAC_BYTES, streamMacMessage, type StreamPosition } from '../src/streamMac';

const ETAG = 'ab'.repeat(32);
const base: StreamPosition = {
    memoryId: `m${'0123456789abcdef'.repeat(2)}`,
    variant: 'original',
    assetId: '',
    chunkIndex: 3,
    offset: 5_699_904n,
    end: 104_857_600n,
    issuedAt: 1_800_000_000n,
    accessToken: 'unused: the MAC bytes stand for the token',
    etag: ETAG
};
const tokenMac = Uint8Array.from({ length: 32 }, (_, i) => i);

const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/);
const positionArb: fc.Arbitrary<StreamPosition> = fc.record({
    memoryId: idArb,
    variant: fc.oneof(fc.constantFrom(...VARIANTS), fc.string({ maxLength: 10 })),
    assetId: fc.oneof(idArb, fc.string({ maxLength: 20 })),
    chunkIndex: fc.nat(),
    offset: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    end: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    issuedAt: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    accessToken: fc.constant(''),
    etag: fc.stringMatching(/^[0-9a-f]{64}$/)
});

/** What the message binds: the fields as the layout cuts them (255-byte ids are refused elsewhere). */
const bound = (p: StreamPosition, mac: Uint8Array) =>
    JSON.stringify([p.memoryId, VARIANTS.includes(p.variant as never) ? p.variant : '?', p.assetId, p.etag.slice(0, BOUND_ETAG_CHARS), p.chunkIndex, String(p.offset), String(p.end), String(p.issuedAt), [...mac.subarray(0, BOUND_TOKEN_MAC_BYTES)]]);

describe('streamMacMessage', () => {
    it('fits two SHA-256 blocks after the pad block (≤ 119 bytes) for a real memory id and no asset id', () => {
        expect(streamMacMessage(base, tokenMac).length).toBeLessThanOrEqual(119);
    });

    it('differs whenever a bound field differs (injective), for any ids and any u64 values', () => {
        fc.assert(
            fc.property(positionArb, positionArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b, macA, macB) => {
                const same = Buffer.from(streamMacMessage(a, macA)).equals(Buffer.from(streamMacMessage(b, macB)));
                expect(same).toBe(bound(a, macA) === bound(b, macB));
            }),
            { numRuns: 2000 }
        );
    });

    it('changes with each single field, including values above 2^53', () => {
        const reference = streamMacMessage(base, tokenMac);
        const changed: StreamPosition[] = [
            { ...base, memoryId: `${base.memoryId}x` },
            { ...base, variant: 'preview' },
            { ...base, assetId: 'a' },
            { ...base, etag: `c${ETAG.slice(1)}` },
            { ...base, chunkIndex: 4 },
            { ...base, offset: base.offset + 1n },
            { ...base, end: 2n ** 60n },
            { ...base, end: 2n ** 60n + 1n },
            { ...base, issuedAt: base.issuedAt + 1n }
        ];
        const messages = changed.map((p) => Buffer.from(streamMacMessage(p, tokenMac)).toString('hex'));
        expect(new Set([...messages, Buffer.from(reference).toString('hex')]).size).toBe(changed.length + 1);
        const otherMac = Uint8Array.from(tokenMac, (b, i) => (i === 15 ? b ^ 1 : b));
        expect(streamMacMessage(base, otherMac)).not.toEqual(reference);
    });

    it('starts with a tag no token payload starts with (their first byte is the version, 1)', () => {
        expect([...streamMacMessage(base, tokenMac).subarray(0, 2)]).toEqual([0x53, 0x33]);
    });

    it('encodes non-ASCII ids as UTF-8, so two different texts never meet', () => {
        const a = streamMacMessage({ ...base, assetId: 'é' }, tokenMac);
        const b = streamMacMessage({ ...base, assetId: 'Ã©' }, tokenMac);
        expect(a).not.toEqual(b);
    });
});
