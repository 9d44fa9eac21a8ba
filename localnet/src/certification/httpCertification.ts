/**
 * HTTP certification v2 (HTTP Gateway Protocol spec, "Response Verification"; mirrors the
 * ic-http-certification crate). A canister commits to an `http_expr` tree via certified_data and
 * answers with `IC-Certificate` / `IC-CertificateExpression` headers. Tree paths are
 *   http_expr/<segments…>/<$>|<*>/<sha256(expression)>                          (skip)
 *   http_expr/<segments…>/<$>|<*>/<sha256(expression)>/<request hash or "">/<response hash>
 * each ending in an empty leaf.
 */
import { encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { type HashTree } from './hashTree';
import { encodeHashTree } from './hashTreeCbor';
import { labeledLeaf, labeledSubtree, labeledTreeToHashTree, type LabeledTree } from './labeledTree';

/** The expression that tells gateways not to verify the response (DefaultCelBuilder::skip_certification). */
export const SKIP_CERTIFICATION_EXPRESSION = 'default_certification(ValidationArgs{no_certification:Empty{}})';

export const CERTIFICATE_HEADER = 'IC-Certificate';
export const CERTIFICATE_EXPRESSION_HEADER = 'IC-CertificateExpression';

export type HttpPathMatch = 'exact' | 'wildcard';

/**
 * The expr_path of a URL path (HttpCertificationPath::to_expr_path): "http_expr", the non-empty
 * segments, "" for a trailing slash, then "<$>" (exact) or "<*>" (wildcard, a prefix match).
 */
export function httpExpressionPath(urlPath: string, match: HttpPathMatch): string[] {
    const segments = urlPath.split('/').filter((segment) => segment !== '');
    if (urlPath.endsWith('/')) segments.push('');
    return ['http_expr', ...segments, match === 'exact' ? '<$>' : '<*>'];
}

export function expressionHash(expression: string): Uint8Array {
    return sha256(utf8ToBytes(expression));
}

export interface HttpCertificationEntry {
    /** From httpExpressionPath. */
    readonly exprPath: readonly string[];
    readonly expression: string;
    /** Omit both hashes for a skip entry; requestHash only with full (request) certification. */
    readonly responseHash?: Uint8Array;
    readonly requestHash?: Uint8Array;
}

/** The canister-side tree committing to `entries`; its digest is the certified_data to set. */
export function httpCertificationTree(entries: readonly HttpCertificationEntry[]): HashTree {
    const paths = entries.map(entryPath);
    return labeledTreeToHashTree(nestPaths(paths));
}

/** The skip-everything tree (ic-http-certification's skip_certification_asset_tree). */
export function skipCertificationTree(urlPath = '', match: HttpPathMatch = 'wildcard'): HashTree {
    return httpCertificationTree([
        { exprPath: httpExpressionPath(urlPath, match), expression: SKIP_CERTIFICATION_EXPRESSION }
    ]);
}

/**
 * `IC-Certificate: certificate=:…:, tree=:…:, expr_path=:…:, version=2` (base64, CBOR with the
 * self-describe tag). `tree` should be the canister's tree pruned to the entry that was served.
 */
export function httpCertificateHeaderValue(parts: {
    readonly certificate: Uint8Array;
    readonly tree: HashTree;
    readonly exprPath: readonly string[];
}): string {
    const certificate = toBase64(parts.certificate);
    const tree = toBase64(encodeHashTree(parts.tree));
    const exprPath = toBase64(encodeWithSelfDescribedTag([...parts.exprPath]));
    return `certificate=:${certificate}:, tree=:${tree}:, expr_path=:${exprPath}:, version=2`;
}

/** Both headers for a response served under the skip tree (ic-http-certification add_skip_certification_header). */
export function skipCertificationHeaders(dataCertificate: Uint8Array): [string, string][] {
    const certificate = httpCertificateHeaderValue({
        certificate: dataCertificate,
        tree: skipCertificationTree(),
        exprPath: httpExpressionPath('', 'wildcard')
    });
    return [
        [CERTIFICATE_HEADER, certificate],
        [CERTIFICATE_EXPRESSION_HEADER, SKIP_CERTIFICATION_EXPRESSION]
    ];
}

function entryPath(entry: HttpCertificationEntry): Uint8Array[] {
    const path = [...entry.exprPath.map((segment) => utf8ToBytes(segment)), expressionHash(entry.expression)];
    if (entry.responseHash) path.push(entry.requestHash ?? new Uint8Array(), entry.responseHash);
    else if (entry.requestHash) throw new Error('a request hash needs a response hash');
    return path;
}

/** Merges paths into one labeled tree, each path ending in an empty leaf. */
function nestPaths(paths: readonly Uint8Array[][]): LabeledTree {
    if (paths.some((path) => path.length === 0)) {
        // The same entry twice is harmless; a path ending inside another one is not representable.
        if (paths.some((path) => path.length > 0)) throw new Error('an HTTP certification path is a prefix of another');
        return labeledLeaf(new Uint8Array());
    }
    const byLabel = new Map<string, { label: Uint8Array; tails: Uint8Array[][] }>();
    for (const [label, ...tail] of paths) {
        const key = bytesToHex(label!);
        const group = byLabel.get(key) ?? { label: label!, tails: [] };
        group.tails.push(tail);
        byLabel.set(key, group);
    }
    return labeledSubtree(Array.from(byLabel.values(), ({ label, tails }) => [label, nestPaths(tails)] as const));
}

function toBase64(bytes: Uint8Array): string {
    return Buffer.from(bytes).toString('base64');
}
