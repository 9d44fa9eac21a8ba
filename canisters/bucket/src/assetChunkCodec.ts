/**
 * get_asset_chunk's argument and `Ok` reply without IDL.decode/IDL.encode (Azle's generic
 * encoding of a chunk's `blob` cost about 24M of the method's 43M instructions for a 104 KB
 * asset). Type tables are taken once from IDL.encode; other encodings of the argument and every
 * `Err` reply go through IDL. Byte equality with IDL.encode is property-tested.
 */
import { concatBytes } from '@noble/hashes/utils';
import { CandidReader, CandidWriter, inWireOrder, prefixMatcher, typeTablePrefix, VARIANTS, variantValue, type VariantValue } from '@icp-private-assets/shared';
import type { AssetChunk } from './assetChunkQuery';

export interface GetAssetChunkArgs {
    readonly token: string;
    readonly memory_id: string;
    readonly variant: VariantValue;
    readonly asset_id: [] | [string];
    readonly index: number;
}

const ARG_FIELDS = inWireOrder(['token', 'memory_id', 'variant', 'asset_id', 'index'] as const);
const VARIANT_TAGS = inWireOrder([...VARIANTS]);
const CHUNK_FIELDS = inWireOrder(['bytes', 'index', 'chunk_count', 'chunk_size', 'size', 'content_type', 'etag'] as const);

const SAMPLE_ARGS: GetAssetChunkArgs = { token: '', memory_id: '', variant: variantValue(VARIANT_TAGS[0]!), asset_id: [], index: 0 };

export function createGetAssetChunkDecoder(
    encodeWithIdl: (value: GetAssetChunkArgs) => Uint8Array,
    decodeWithIdl: (bytes: Uint8Array) => GetAssetChunkArgs
): (argument: Uint8Array) => GetAssetChunkArgs {
    // Sample values in wire order: '' (1 byte), '' (1), variant tag 0 (1), none (1), index 0 (4).
    const sampleValues = ARG_FIELDS.flatMap((field) => (field === 'index' ? [0, 0, 0, 0] : [0]));
    const prefix = typeTablePrefix(encodeWithIdl(SAMPLE_ARGS), sampleValues);
    const matchesPrefix = prefixMatcher(prefix);
    return (argument) => {
        if (!matchesPrefix(argument)) return decodeWithIdl(argument);
        const reader = new CandidReader(argument, prefix.length);
        const out: Record<string, unknown> = {};
        for (const field of ARG_FIELDS) {
            if (field === 'index') out.index = reader.nat32();
            else if (field === 'variant') out.variant = variantValue(VARIANT_TAGS[reader.tag(VARIANT_TAGS.length)]!);
            else if (field === 'asset_id') out.asset_id = reader.opt() ? [reader.text()] : [];
            else out[field] = reader.text();
        }
        if (!reader.atEnd()) throw new Error('left-over bytes after the get_asset_chunk argument');
        return out as unknown as GetAssetChunkArgs;
    };
}

/** Encoder of get_asset_chunk's reply: `Ok` written directly, `Err` through `encodeWithIdl`. */
export function createGetAssetChunkReplyEncoder(encodeWithIdl: (value: object) => Uint8Array): (result: { Ok: AssetChunk } | { Err: unknown }) => Uint8Array {
    const sample: AssetChunk = { bytes: new Uint8Array(0), index: 0, chunk_count: 0, chunk_size: 0, size: 0n, content_type: '', etag: '' };
    const encodedSample = encodeWithIdl({ Ok: sample });
    // The Ok tag, then the sample's fields: three empty texts/blobs (1 byte each), three nat32 (4), one nat64 (8).
    const valueLength = 1 + 3 + 3 * 4 + 8;
    const okTag = encodedSample[encodedSample.length - valueLength]!;
    const prefix = typeTablePrefix(encodedSample, [okTag, ...new Array<number>(valueLength - 1).fill(0)]);
    return (result) => {
        if (!('Ok' in result)) return encodeWithIdl(result);
        const chunk = result.Ok;
        // The small fields are written into one writer around the bytes, then joined in one exact copy.
        const parts: Uint8Array[] = [prefix];
        let writer = new CandidWriter(undefined, 128).byte(okTag);
        for (const field of CHUNK_FIELDS) {
            if (field === 'bytes') {
                parts.push(writer.leb(chunk.bytes.length).finish(), chunk.bytes);
                writer = new CandidWriter(undefined, 128);
            } else if (field === 'size') writer.nat64(Number(chunk.size));
            else if (field === 'content_type' || field === 'etag') writer.text(chunk[field]);
            else {
                const n = chunk[field];
                writer.byte(n & 0xff).byte((n >>> 8) & 0xff).byte((n >>> 16) & 0xff).byte((n >>> 24) & 0xff);
            }
        }
        parts.push(writer.finish());
        return concatBytes(...parts);
    };
}
