/**
 * Which asset a request names. Two URL forms (docs/http-interface.md):
 *   path form   /asset/{memory_id}/{variant}[/{asset_id}]
 *   query form  /asset?id={memory_id}&variant={variant}[&asset_id={asset_id}]
 * Segments and values are percent-decoded exactly once and must then be ids of the id charset,
 * so '..', encoded slashes, double-encoding and empty segments are all refused.
 */
import { isValidId, MAX_ID_LENGTH } from './ids';
import { percentDecode } from './percentDecode';
import { queryParam, type RequestTarget } from './requestTarget';
import { isVariant, type Variant } from './variants';

export interface AssetLocator {
    readonly memoryId: string;
    readonly variant: Variant;
    /** Absent: the variant's default asset. */
    readonly assetId?: string;
}

export const ASSET_PATH_PREFIX = '/asset';
/** Longer raw paths are refused before any decoding. */
export const MAX_ASSET_PATH_LENGTH = 512;

export type AssetLocatorError =
    | 'not_asset_path'
    | 'too_long'
    | 'empty_segment'
    | 'dot_segment'
    | 'encoded_slash'
    | 'bad_encoding'
    | 'invalid_id'
    | 'unknown_variant'
    | 'wrong_segment_count'
    | 'missing_parameter'
    | 'duplicate_parameter';

export type AssetLocatorResult =
    | { readonly ok: true; readonly locator: AssetLocator }
    | { readonly ok: false; readonly error: AssetLocatorError; readonly detail: string };

function fail(error: AssetLocatorError, detail: string): AssetLocatorResult {
    return { ok: false, error, detail };
}

/** True when the path is one this parser owns (both forms), so other paths can 404 early. */
export function isAssetPath(path: string): boolean {
    return path === ASSET_PATH_PREFIX || path.startsWith(`${ASSET_PATH_PREFIX}/`);
}

/** Parses either form; never throws. */
export function parseAssetLocator(target: RequestTarget): AssetLocatorResult {
    if (target.path.length > MAX_ASSET_PATH_LENGTH) return fail('too_long', 'path too long');
    if (target.path === ASSET_PATH_PREFIX) return parseQueryForm(target.query);
    if (!target.path.startsWith(`${ASSET_PATH_PREFIX}/`)) return fail('not_asset_path', 'not under /asset');
    return parsePathForm(target.path.slice(ASSET_PATH_PREFIX.length + 1));
}

function parsePathForm(rest: string): AssetLocatorResult {
    const raw = rest.split('/');
    if (raw.length < 2 || raw.length > 3) {
        return fail('wrong_segment_count', 'expected /asset/{memory_id}/{variant}[/{asset_id}]');
    }
    const decoded: string[] = [];
    for (const segment of raw) {
        const value = decodeSegment(segment);
        if (!value.ok) return value.result;
        decoded.push(value.text);
    }
    return locatorFrom(decoded[0]!, decoded[1]!, decoded[2]);
}

function decodeSegment(segment: string): { ok: true; text: string } | { ok: false; result: AssetLocatorResult } {
    if (segment === '') return { ok: false, result: fail('empty_segment', 'empty path segment') };
    if (/%2f|%5c/i.test(segment)) {
        return { ok: false, result: fail('encoded_slash', 'encoded slash in path segment') };
    }
    const text = percentDecode(segment);
    if (text === undefined) return { ok: false, result: fail('bad_encoding', 'invalid percent-encoding') };
    if (text === '.' || text === '..') return { ok: false, result: fail('dot_segment', 'dot segment') };
    return { ok: true, text };
}

function parseQueryForm(query: string): AssetLocatorResult {
    const values: (string | undefined)[] = [];
    for (const name of ['id', 'variant', 'asset_id'] as const) {
        const param = queryParam(query, name);
        if (param.kind === 'invalid') {
            return param.reason === 'duplicate'
                ? fail('duplicate_parameter', `parameter ${name} repeated`)
                : fail('bad_encoding', `parameter ${name} has invalid percent-encoding`);
        }
        if (param.kind === 'absent' && name !== 'asset_id') return fail('missing_parameter', `parameter ${name} missing`);
        values.push(param.kind === 'value' ? param.value : undefined);
    }
    return locatorFrom(values[0]!, values[1]!, values[2]);
}

function locatorFrom(memoryId: string, variant: string, assetId: string | undefined): AssetLocatorResult {
    if (!isValidId(memoryId)) return fail('invalid_id', `memory id must be 1..${MAX_ID_LENGTH} of [A-Za-z0-9_-]`);
    if (!isVariant(variant)) return fail('unknown_variant', 'unknown variant');
    if (assetId !== undefined && !isValidId(assetId)) {
        return fail('invalid_id', `asset id must be 1..${MAX_ID_LENGTH} of [A-Za-z0-9_-]`);
    }
    return { ok: true, locator: { memoryId, variant, ...(assetId !== undefined ? { assetId } : {}) } };
}
