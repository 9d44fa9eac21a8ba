/**
 * upload_chunk's argument and reply without IDL.decode/IDL.encode. Azle's generic decoding of a
 * 1.9 MB `blob` walks it byte by byte in QuickJS (about 67M instructions, most of a chunk's cost
 * once the bucket stopped hashing); here the argument's type table is compared once with the
 * canonical one and the bytes are taken as a view. Any other encoding falls back to IDL.decode,
 * so correctness never depends on the fast path (as httpRequestDecoder.ts does for http_request).
 */
import { CandidReader, CandidWriter, inWireOrder, prefixMatcher, typeTablePrefix } from '@icp-private-assets/shared';

export interface UploadChunkArgs {
    readonly upload_id: string;
    readonly index: number;
    readonly bytes: Uint8Array;
}

const FIELD_ORDER = inWireOrder(['upload_id', 'index', 'bytes'] as const);

/**
 * `encodeWithIdl` is IDL.encode of [UploadChunkArgs], called once with an empty sample to learn
 * the canonical type table; `decodeWithIdl` decodes any other encoding.
 */
export function createUploadChunkDecoder(
    encodeWithIdl: (value: UploadChunkArgs) => Uint8Array,
    decodeWithIdl: (bytes: Uint8Array) => UploadChunkArgs
): (argument: Uint8Array) => UploadChunkArgs {
    // Values of the sample, in wire order: '' (one byte), index 0 (four bytes), empty blob (one byte).
    const sampleValues = FIELD_ORDER.flatMap((field) => (field === 'index' ? [0, 0, 0, 0] : [0]));
    const prefix = typeTablePrefix(encodeWithIdl({ upload_id: '', index: 0, bytes: new Uint8Array(0) }), sampleValues);
    const matchesPrefix = prefixMatcher(prefix);
    return (argument) => {
        if (!matchesPrefix(argument)) return decodeWithIdl(argument);
        const reader = new CandidReader(argument, prefix.length);
        let uploadId = '';
        let index = 0;
        let bytes: Uint8Array = new Uint8Array(0);
        for (const field of FIELD_ORDER) {
            if (field === 'upload_id') uploadId = reader.text();
            else if (field === 'index') index = reader.nat32();
            else bytes = reader.take(reader.leb());
        }
        if (!reader.atEnd()) throw new Error('left-over bytes after UploadChunkArgs');
        return { upload_id: uploadId, index, bytes };
    };
}

/**
 * Encoder of the `Ok` reply, `variant { Ok : record { received_bytes : nat64 } }`; `Err` replies
 * (rare) go through `encodeWithIdl`.
 */
export function createUploadChunkReplyEncoder(encodeWithIdl: (value: object) => Uint8Array): (result: { Ok: { received_bytes: bigint } } | { Err: unknown }) => Uint8Array {
    const sample = encodeWithIdl({ Ok: { received_bytes: 0n } });
    // The value: the Ok tag's index (one LEB byte) and eight zero bytes.
    const okTag = sample[sample.length - 9]!;
    const prefix = typeTablePrefix(sample, [okTag, 0, 0, 0, 0, 0, 0, 0, 0]);
    return (result) => {
        if (!('Ok' in result)) return encodeWithIdl(result);
        const writer = new CandidWriter(prefix, prefix.length + 9).byte(okTag);
        let value = result.Ok.received_bytes;
        for (let i = 0; i < 8; i++) {
            writer.byte(Number(value & 0xffn));
            value >>= 8n;
        }
        return writer.finish();
    };
}
