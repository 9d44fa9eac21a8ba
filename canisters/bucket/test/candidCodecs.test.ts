import fc from 'fast-check';
import { IDL } from '@dfinity/candid';
import { VARIANTS, variantValue } from '@icp-private-assets/shared';
import { describe, expect, it } from 'vitest';
import { C } from '../src/candid';
import { createUploadChunkDecoder, createUploadChunkReplyEncoder, type UploadChunkArgs } from '../src/uploadChunkCodec';
import { createGetAssetChunkDecoder, createGetAssetChunkReplyEncoder, type GetAssetChunkArgs } from '../src/assetChunkCodec';

const encode = (value: UploadChunkArgs) => new Uint8Array(IDL.encode([C.UploadChunkArgs], [value]));
const fallbacks: Uint8Array[] = [];
const decode = createUploadChunkDecoder(encode, (bytes) => {
    fallbacks.push(bytes);
    return (IDL.decode([C.UploadChunkArgs], bytes) as unknown as [UploadChunkArgs])[0];
});
const encodeReply = createUploadChunkReplyEncoder((value) => new Uint8Array(IDL.encode([C.UploadChunkResult], [value])));

describe('upload_chunk codec', () => {
    it('decodes what IDL.encode writes, without the fallback, and keeps the bytes as a view', () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 20 }), fc.nat({ max: 0xffffffff }), fc.uint8Array({ maxLength: 5000 }), (uploadId, index, bytes) => {
                fallbacks.length = 0;
                const argument = encode({ upload_id: uploadId, index, bytes });
                const decoded = decode(argument);
                expect(decoded).toEqual({ upload_id: uploadId, index, bytes });
                expect(fallbacks).toHaveLength(0);
                if (bytes.length > 0) expect(decoded.bytes.buffer).toBe(argument.buffer);
            })
        );
    });

    it('falls back to IDL.decode for another encoding of the same type (an extra field)', () => {
        const extended = IDL.Record({ upload_id: IDL.Text, index: IDL.Nat32, bytes: IDL.Vec(IDL.Nat8), note: IDL.Text });
        const argument = new Uint8Array(IDL.encode([extended], [{ upload_id: 'u1', index: 7, bytes: Uint8Array.of(1, 2), note: 'x' }]));
        fallbacks.length = 0;
        expect(decode(argument)).toEqual({ upload_id: 'u1', index: 7, bytes: Uint8Array.of(1, 2) });
        expect(fallbacks).toHaveLength(1);
    });

    it('refuses truncated and padded arguments', () => {
        const argument = encode({ upload_id: 'u1', index: 1, bytes: new Uint8Array(100) });
        expect(() => decode(argument.subarray(0, argument.length - 1))).toThrow();
        expect(() => decode(Uint8Array.from([...argument, 0]))).toThrow();
    });

    it('encodes replies byte-equal to IDL.encode', () => {
        fc.assert(
            fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (received) => {
                const value = { Ok: { received_bytes: received } };
                expect(encodeReply(value)).toEqual(new Uint8Array(IDL.encode([C.UploadChunkResult], [value])));
            })
        );
        const err = { Err: { ChunkConflict: { index: 3 } } };
        expect(encodeReply(err)).toEqual(new Uint8Array(IDL.encode([C.UploadChunkResult], [err])));
    });
});

describe('get_asset_chunk codec', () => {
    const encodeArgs = (value: GetAssetChunkArgs) => new Uint8Array(IDL.encode([C.GetAssetChunkArgs], [value]));
    let fallbacks = 0;
    const decodeArgs = createGetAssetChunkDecoder(encodeArgs, (bytes) => {
        fallbacks += 1;
        return (IDL.decode([C.GetAssetChunkArgs], bytes) as unknown as [GetAssetChunkArgs])[0];
    });
    const encodeReplyWithIdl = (value: object) => new Uint8Array(IDL.encode([C.GetAssetChunkResult], [value]));
    const encodeReply = createGetAssetChunkReplyEncoder(encodeReplyWithIdl);

    it('decodes what IDL.encode writes, every variant and asset id included, without the fallback', () => {
        fc.assert(
            fc.property(
                fc.string({ maxLength: 300 }),
                fc.string({ maxLength: 64 }),
                fc.constantFrom(...VARIANTS),
                fc.option(fc.string({ maxLength: 64 }), { nil: undefined }),
                fc.nat({ max: 0xffffffff }),
                (token, memoryId, variant, assetId, index) => {
                    const value: GetAssetChunkArgs = { token, memory_id: memoryId, variant: variantValue(variant), asset_id: assetId === undefined ? [] : [assetId], index };
                    expect(decodeArgs(encodeArgs(value))).toEqual(value);
                }
            )
        );
        expect(fallbacks).toBe(0);
    });

    it('encodes Ok replies byte-equal to IDL.encode, and Err replies through it', () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 4000 }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 70 }), (bytes, index, count, size, total, type, etag) => {
                const value = { Ok: { bytes, index, chunk_count: count, chunk_size: size, size: BigInt(total), content_type: type, etag } };
                expect(encodeReply(value)).toEqual(encodeReplyWithIdl(value));
            })
        );
        const err = { Err: { Token: { code: 'EXPIRED', detail: 'token expired', status: 403 } } };
        expect(encodeReply(err)).toEqual(encodeReplyWithIdl(err));
    });
});
