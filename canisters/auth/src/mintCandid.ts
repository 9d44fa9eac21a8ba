/**
 * Candid for the minting queries without @dfinity/candid's per-call cost (shared/src/candidWire.ts
 * explains why): mint_http_token's argument decoded directly when its type table is the canonical
 * one (IDL.decode otherwise), and mint results, single or batched, written directly. A gallery
 * page mints on every load, so these instructions are the product's hottest path. Tests check
 * byte equality with IDL.encode and value equality with IDL.decode.
 */
import { CandidDecodeError, CandidReader, CandidWriter, inWireOrder, prefixMatcher, typeTablePrefix, VARIANTS } from '@icp-private-assets/shared';
import { authTypes, type AuthErrorValue, type VariantValue } from './candid';

export type { AuthErrorValue };

type Idl = Parameters<typeof authTypes>[0];
type Opt<T> = [] | [T];

export interface MintArgs {
    memory_id: string;
    variants: VariantValue[];
    asset_ids: Opt<string[]>;
    ttl_seconds: Opt<number>;
}

export interface BatchMintArgs {
    memory_ids: string[];
    variants: VariantValue[];
    ttl_seconds: Opt<number>;
}

/** A minted token as written to the wire: the bucket as raw principal bytes. */
export interface MintedWire {
    readonly token: string;
    readonly bucket: Uint8Array;
    /** Seconds since the epoch. */
    readonly expiresAt: number;
    readonly kid: string;
}

export type MintResultWire = { Ok: MintedWire } | { Err: AuthErrorValue };

const VARIANT_TAGS = inWireOrder(VARIANTS);
const MINT_FIELDS = inWireOrder(['memory_id', 'variants', 'asset_ids', 'ttl_seconds'] as const);
const BATCH_FIELDS = inWireOrder(['memory_ids', 'variants', 'ttl_seconds'] as const);
const RESULT_TAGS = inWireOrder(['Ok', 'Err'] as const);
const ERROR_TAGS = inWireOrder(['Anonymous', 'NotAuthorized', 'NotFound', 'NotReady', 'NoBucket', 'InvalidRequest', 'CallFailed'] as const);
const MINTED_FIELDS = inWireOrder(['token', 'bucket', 'expires_at', 'kid'] as const);
const ITEM_FIELDS = inWireOrder(['memory_id', 'result'] as const);

function readVariants(r: CandidReader): VariantValue[] {
    const n = r.count();
    const out: VariantValue[] = [];
    for (let i = 0; i < n; i++) out.push({ [VARIANT_TAGS[r.tag(VARIANT_TAGS.length)]!]: null } as VariantValue);
    return out;
}

const readTtl = (r: CandidReader): Opt<number> => (r.opt() ? [r.nat32()] : []);

function writeResult(w: CandidWriter, result: MintResultWire): void {
    if ('Ok' in result) {
        w.leb(RESULT_TAGS.indexOf('Ok'));
        const m = result.Ok;
        for (const field of MINTED_FIELDS) {
            if (field === 'token') w.text(m.token);
            else if (field === 'bucket') w.principal(m.bucket);
            else if (field === 'expires_at') w.nat64(m.expiresAt);
            else w.text(m.kid);
        }
        return;
    }
    w.leb(RESULT_TAGS.indexOf('Err'));
    const [tag, detail] = Object.entries(result.Err)[0] as [(typeof ERROR_TAGS)[number], string | null];
    w.leb(ERROR_TAGS.indexOf(tag));
    if (tag === 'InvalidRequest' || tag === 'CallFailed') w.text(detail ?? '');
}

export interface MintCodec {
    /** Throws (a CandidDecodeError or IDL.decode's error) for an argument that is not MintArgs. */
    decodeMintArgs(bytes: Uint8Array): MintArgs;
    decodeBatchMintArgs(bytes: Uint8Array): BatchMintArgs;
    encodeMintResult(result: MintResultWire): Uint8Array;
    encodeBatchMintResult(items: readonly { memoryId: string; result: MintResultWire }[]): Uint8Array;
}

/** Learns the type tables from IDL.encode once (call it where heap changes persist: at install). */
export function createMintCodec(IDL: Idl): MintCodec {
    const T = authTypes(IDL);
    const mintPrefix = typeTablePrefix(new Uint8Array(IDL.encode([T.MintArgs], [{ memory_id: '', variants: [], asset_ids: [], ttl_seconds: [] }])), [0, 0, 0, 0]);
    const batchPrefix = typeTablePrefix(new Uint8Array(IDL.encode([T.BatchMintArgs], [{ memory_ids: [], variants: [], ttl_seconds: [] }])), [0, 0, 0]);
    const resultPrefix = typeTablePrefix(new Uint8Array(IDL.encode([T.MintedResult], [{ Err: { Anonymous: null } }])), [
        RESULT_TAGS.indexOf('Err'),
        ERROR_TAGS.indexOf('Anonymous')
    ]);
    const batchResultPrefix = typeTablePrefix(new Uint8Array(IDL.encode([T.BatchMintResult], [[]])), [0]);

    /** The fast read when the table matches and the bytes parse completely, else undefined. */
    const matchers = new Map([mintPrefix, batchPrefix].map((prefix) => [prefix, prefixMatcher(prefix)]));

    function fast<T>(bytes: Uint8Array, prefix: Uint8Array, read: (r: CandidReader) => T): T | undefined {
        if (!matchers.get(prefix)!(bytes)) return undefined;
        try {
            const r = new CandidReader(bytes, prefix.length);
            const value = read(r);
            return r.atEnd() ? value : undefined;
        } catch (error) {
            if (error instanceof CandidDecodeError) return undefined;
            throw error;
        }
    }

    return {
        decodeMintArgs(bytes) {
            const value = fast(bytes, mintPrefix, (r) => {
                const out: Partial<MintArgs> = {};
                for (const field of MINT_FIELDS) {
                    if (field === 'memory_id') out.memory_id = r.text();
                    else if (field === 'variants') out.variants = readVariants(r);
                    else if (field === 'asset_ids') out.asset_ids = r.opt() ? [Array.from({ length: r.count() }, () => r.text())] : [];
                    else out.ttl_seconds = readTtl(r);
                }
                return out as MintArgs;
            });
            return value ?? (IDL.decode([T.MintArgs], bytes)[0] as unknown as MintArgs);
        },
        decodeBatchMintArgs(bytes) {
            const value = fast(bytes, batchPrefix, (r) => {
                const out: Partial<BatchMintArgs> = {};
                for (const field of BATCH_FIELDS) {
                    if (field === 'memory_ids') out.memory_ids = Array.from({ length: r.count() }, () => r.text());
                    else if (field === 'variants') out.variants = readVariants(r);
                    else out.ttl_seconds = readTtl(r);
                }
                return out as BatchMintArgs;
            });
            return value ?? (IDL.decode([T.BatchMintArgs], bytes)[0] as unknown as BatchMintArgs);
        },
        encodeMintResult(result) {
            const w = new CandidWriter(resultPrefix);
            writeResult(w, result);
            return w.finish();
        },
        encodeBatchMintResult(items) {
            const w = new CandidWriter(batchResultPrefix, 64 + items.length * 320);
            w.leb(items.length);
            for (const item of items) {
                for (const field of ITEM_FIELDS) {
                    if (field === 'memory_id') w.text(item.memoryId);
                    else writeResult(w, item.result);
                }
            }
            return w.finish();
        }
    };
}
