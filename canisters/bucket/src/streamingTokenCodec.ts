/**
 * The streaming token and the callback's reply without IDL.encode/IDL.decode: a streamed chunk is
 * 1.9 MB, and Azle's generic encoder walks a `blob` byte by byte in QuickJS. The type tables are
 * taken once from IDL.encode; decoding falls back to IDL.decode for any other encoding. Tests
 * check byte equality with IDL.encode and round trips.
 */
import { concatBytes } from '@noble/hashes/utils';
import { CandidReader, CandidWriter, inWireOrder, prefixMatcher, typeTablePrefix } from '@icp-private-assets/shared';
import type { StreamingToken } from './httpTypes';

const TOKEN_FIELDS = inWireOrder(['memory_id', 'variant', 'asset_id', 'chunk_index', 'offset', 'end', 'issued_at', 'access_token', 'etag', 'stream_mac'] as const);
const REPLY_FIELDS = inWireOrder(['body', 'token'] as const);

function writeU64(writer: CandidWriter, value: bigint): void {
    let v = BigInt.asUintN(64, value);
    for (let i = 0; i < 8; i++) {
        writer.byte(Number(v & 0xffn));
        v >>= 8n;
    }
}

function readU64(reader: CandidReader): bigint {
    const b = reader.take(8);
    let value = 0n;
    for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(b[i]!);
    return value;
}

/** At least the bytes a token's value takes (ASCII texts; buffers are sized with it to avoid regrowing). */
export function streamingTokenSize(token: StreamingToken): number {
    return 100 + token.memory_id.length + token.variant.length + token.asset_id.length + token.access_token.length + token.etag.length + token.stream_mac.length;
}

/** Writes a StreamingToken value (the record's fields in wire order). */
export function writeStreamingToken(writer: CandidWriter, token: StreamingToken): void {
    for (const field of TOKEN_FIELDS) {
        switch (field) {
            case 'chunk_index':
                writer.byte(token.chunk_index & 0xff).byte((token.chunk_index >>> 8) & 0xff).byte((token.chunk_index >>> 16) & 0xff).byte((token.chunk_index >>> 24) & 0xff);
                break;
            case 'offset':
            case 'end':
            case 'issued_at':
                writeU64(writer, token[field]);
                break;
            case 'stream_mac':
                writer.leb(token.stream_mac.length).raw(token.stream_mac);
                break;
            default:
                writer.text(token[field]);
        }
    }
}

function readStreamingToken(reader: CandidReader): StreamingToken {
    const out: Record<string, unknown> = {};
    for (const field of TOKEN_FIELDS) {
        switch (field) {
            case 'chunk_index':
                out[field] = reader.nat32();
                break;
            case 'offset':
            case 'end':
            case 'issued_at':
                out[field] = readU64(reader);
                break;
            case 'stream_mac':
                out[field] = reader.take(reader.leb()).slice();
                break;
            default:
                out[field] = reader.text();
        }
    }
    return out as unknown as StreamingToken;
}

const EMPTY_TOKEN: StreamingToken = {
    memory_id: '',
    variant: '',
    asset_id: '',
    chunk_index: 0,
    offset: 0n,
    end: 0n,
    issued_at: 0n,
    access_token: '',
    etag: '',
    stream_mac: new Uint8Array(0)
};

/** Value bytes of the empty token (what follows the type table when it is the argument). */
function emptyTokenValue(): number[] {
    const writer = new CandidWriter();
    writeStreamingToken(writer, EMPTY_TOKEN);
    return Array.from(writer.finish());
}

/** Decoder of the callback's argument; `decodeWithIdl` takes any other encoding. */
export function createStreamingTokenDecoder(
    encodeWithIdl: (token: StreamingToken) => Uint8Array,
    decodeWithIdl: (bytes: Uint8Array) => StreamingToken
): (argument: Uint8Array) => StreamingToken {
    const prefix = typeTablePrefix(encodeWithIdl(EMPTY_TOKEN), emptyTokenValue());
    const matchesPrefix = prefixMatcher(prefix);
    return (argument) => {
        if (!matchesPrefix(argument)) return decodeWithIdl(argument);
        const reader = new CandidReader(argument, prefix.length);
        const token = readStreamingToken(reader);
        if (!reader.atEnd()) throw new Error('left-over bytes after StreamingToken');
        return token;
    };
}

/** Encoder of `record { body : blob; token : opt StreamingToken }`, byte-equal to IDL.encode. */
export function createStreamingReplyEncoder(encodeWithIdl: (value: { body: Uint8Array; token: [] | [StreamingToken] }) => Uint8Array): (body: Uint8Array, token?: StreamingToken) => Uint8Array {
    const prefix = typeTablePrefix(encodeWithIdl({ body: new Uint8Array(0), token: [] }), [0, 0]);
    return (body, token) => {
        // Everything but the body is small: written first, then joined with the body in one exact copy.
        const parts: Uint8Array[] = [prefix];
        for (const field of REPLY_FIELDS) {
            if (field === 'body') parts.push(new CandidWriter(undefined, 10).leb(body.length).finish(), body);
            else if (token) {
                const writer = new CandidWriter(undefined, streamingTokenSize(token)).byte(1);
                writeStreamingToken(writer, token);
                parts.push(writer.finish());
            } else parts.push(Uint8Array.of(0));
        }
        return concatBytes(...parts);
    };
}
