/**
 * HTTP certification v2 "skip certification" for canisters (HTTP Gateway Protocol, "Response
 * Verification"; the same bytes as the ic-http-certification crate's skip_certification_*
 * helpers). The canister commits, through certified_data, to one tree entry
 *   http_expr/<segments of the prefix…>/<*>/sha256(SKIP_CERTIFICATION_EXPRESSION) → ""
 * and attaches `IC-Certificate` / `IC-CertificateExpression` to each response under that prefix.
 * Gateways then verify the certificate and the entry, and accept the response without hashing it,
 * so the certified domain (`<id>.icp0.io`) serves it, not only `raw.`.
 *
 * Usage in a canister: `certifiedDataSet(skip.certifiedData)` in init and postUpgrade, then
 * `skip.headers(dataCertificate())` on every response of `http_request` (a query: updates have no
 * data certificate, and gateways do not verify upgraded responses anyway).
 */
import { base64 } from './base64';
import { sha256 } from '@noble/hashes/sha2';
import { encodeLabeledPathTree, encodeTextArray, labeledPathDigest } from './labeledPathTree';

/** DefaultCelBuilder::skip_certification() of ic-http-certification. */
export const SKIP_CERTIFICATION_EXPRESSION = 'default_certification(ValidationArgs{no_certification:Empty{}})';

export const IC_CERTIFICATE_HEADER = 'IC-Certificate';
export const IC_CERTIFICATE_EXPRESSION_HEADER = 'IC-CertificateExpression';

export interface SkipCertification {
    /** The expr_path of the entry: "http_expr", the prefix's segments, "<*>". */
    readonly exprPath: readonly string[];
    /** The 32-byte root hash of the tree; pass it to certifiedDataSet. */
    readonly certifiedData: Uint8Array;
    /** The `IC-Certificate` value for a response, given the query's dataCertificate() bytes. */
    certificateHeader(dataCertificate: Uint8Array): string;
    /** Both headers to add to a response, given the query's dataCertificate() bytes. */
    headers(dataCertificate: Uint8Array): [string, string][];
    /**
     * The same headers with the IC-Certificate value already as ASCII bytes: avoids building and
     * re-encoding a long string inside a canister, where per-character work is expensive.
     */
    /** The IC-CertificateExpression header: the same array object in every answer of headers() and headerBytes(). */
    readonly expressionHeader: readonly [string, string];
    headerBytes(dataCertificate: Uint8Array): [string, string | Uint8Array][];
}

const encoder = new TextEncoder();

/**
 * The wildcard expr_path covering every URL path under `pathPrefix`
 * (HttpCertificationPath::wildcard(prefix).to_expr_path()): non-empty segments, plus "" when the
 * prefix ends in "/". `''` covers every path; `'/asset'` covers `/asset` and everything below it.
 */
export function skipCertificationExprPath(pathPrefix = ''): string[] {
    const segments = pathPrefix.split('/').filter((segment) => segment !== '');
    if (pathPrefix.endsWith('/')) segments.push('');
    return ['http_expr', ...segments, '<*>'];
}

/** Everything a canister needs to serve skip-certified responses under `pathPrefix`. */
export function skipCertification(pathPrefix = ''): SkipCertification {
    const exprPath = skipCertificationExprPath(pathPrefix);
    const labels = [...exprPath.map((segment) => encoder.encode(segment)), sha256(encoder.encode(SKIP_CERTIFICATION_EXPRESSION))];
    const certifiedData = labeledPathDigest(labels);
    // The tree is the whole certified tree (it has one entry), so it is also the witness to send.
    const tree = base64.encode(encodeLabeledPathTree(labels));
    const encodedExprPath = base64.encode(encodeTextArray(exprPath));
    const certificateHeader = (dataCertificate: Uint8Array): string =>
        `certificate=:${base64.encode(dataCertificate)}:, tree=:${tree}:, expr_path=:${encodedExprPath}:, version=2`;
    const before = encoder.encode('certificate=:');
    const after = encoder.encode(`:, tree=:${tree}:, expr_path=:${encodedExprPath}:, version=2`);
    // One object for every response, so encoders can recognise it (and cache its bytes) by identity.
    const expressionHeader: [string, string] = [IC_CERTIFICATE_EXPRESSION_HEADER, SKIP_CERTIFICATION_EXPRESSION];
    const certificateHeaderBytes = (dataCertificate: Uint8Array): Uint8Array => {
        const middle = base64.encodeAscii(dataCertificate);
        const out = new Uint8Array(before.length + middle.length + after.length);
        out.set(before, 0);
        out.set(middle, before.length);
        out.set(after, before.length + middle.length);
        return out;
    };
    return {
        exprPath,
        certifiedData,
        certificateHeader,
        expressionHeader,
        headers: (dataCertificate) => [[IC_CERTIFICATE_HEADER, certificateHeader(dataCertificate)], expressionHeader],
        headerBytes: (dataCertificate) => [[IC_CERTIFICATE_HEADER, certificateHeaderBytes(dataCertificate)], expressionHeader]
    };
}
