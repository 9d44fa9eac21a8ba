/**
 * The canister-side skip-certification helper: byte for byte the same tree, certified data and
 * headers as localnet's independent implementation (src/certification/httpCertification.ts, itself
 * checked against @dfinity/response-verification) and the ic-http-certification crate's vectors,
 * accepted by the gateway's verifier, and runnable in an Azle-like runtime.
 */
import { verifyRequestResponsePair } from '@dfinity/response-verification';
import { Principal } from '@dfinity/principal';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { azleLikeContext, bundleShared } from './azleLikeRuntime';
import {
    httpCertificateHeaderValue,
    httpExpressionPath,
    skipCertificationHeaders as localnetSkipHeaders,
    skipCertificationTree as localnetSkipTree,
    SKIP_CERTIFICATION_EXPRESSION as LOCALNET_EXPRESSION
} from '../../localnet/src/certification/httpCertification';
import { reconstruct } from '../../localnet/src/certification/hashTree';
import { CertifiedState } from '../../localnet/src/certification/certifiedState';
import { blsKeyPairFromSeed } from '../../localnet/src/certification/rootKey';
import { buildStateHashTree } from '../../localnet/src/certification/stateTree';
import { skipCertification, skipCertificationExprPath, SKIP_CERTIFICATION_EXPRESSION } from '../src/skipCertification';

const PREFIXES = ['', '/', '/asset', '/asset/', 'photos/2024', '/a/b/c/', '/ünïcødé'];

describe('skipCertification', () => {
    it('matches the ic-http-certification crate (skip_certification_certified_data, add_skip_certification_header)', () => {
        const skip = skipCertification();
        expect(Array.from(skip.certifiedData)).toEqual([
            85, 236, 195, 28, 62, 128, 71, 252, 21, 143, 32, 234, 10, 160, 96, 154, 172, 199, 181, 126, 6, 234, 64, 220, 65, 134,
            2, 114, 167, 214, 66, 145
        ]);
        expect(skip.headers(Uint8Array.of(1, 2, 3))).toEqual([
            [
                'IC-Certificate',
                'certificate=:AQID:, tree=:2dn3gwJJaHR0cF9leHBygwJDPCo+gwJYIMMautvQsFn51GT9bfTani3Ah659C0BGjTNyJtQTszcjggNA:, expr_path=:2dn3gmlodHRwX2V4cHJjPCo+:, version=2'
            ],
            ['IC-CertificateExpression', 'default_certification(ValidationArgs{no_certification:Empty{}})']
        ]);
    });

    it.each(PREFIXES)('builds the same expr path, certified data and header as localnet for prefix %j', (prefix) => {
        const skip = skipCertification(prefix);
        expect(skip.exprPath).toEqual(httpExpressionPath(prefix, 'wildcard'));
        expect(skipCertificationExprPath(prefix)).toEqual(httpExpressionPath(prefix, 'wildcard'));
        const tree = localnetSkipTree(prefix, 'wildcard');
        expect(skip.certifiedData).toEqual(reconstruct(tree));
        const certificate = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
        expect(skip.certificateHeader(certificate)).toBe(
            httpCertificateHeaderValue({ certificate, tree, exprPath: httpExpressionPath(prefix, 'wildcard') })
        );
    });

    it('produces exactly localnet\'s headers for the whole-canister entry', () => {
        const certificate = new Uint8Array(70_000).map((_, i) => i & 0xff);
        expect(skipCertification().headers(certificate)).toEqual(localnetSkipHeaders(certificate));
        expect(SKIP_CERTIFICATION_EXPRESSION).toBe(LOCALNET_EXPRESSION);
    });

    it('is accepted by @dfinity/response-verification under its prefix and refused outside it', () => {
        const keys = blsKeyPairFromSeed(new Uint8Array(32).fill(9));
        const canisterId = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
        const now = BigInt(Date.now()) * 1_000_000n;
        const skip = skipCertification('/asset');
        const state = new CertifiedState(
            buildStateHashTree({
                timeNanos: now,
                canisters: [{ canisterId, controllers: [], moduleHash: new Uint8Array(32), certifiedData: skip.certifiedData }]
            }),
            keys.secretKey
        );
        const headers = skip.headers(state.dataCertificate(canisterId.toUint8Array()));
        const verify = (url: string) =>
            verifyRequestResponsePair(
                { url, method: 'GET', body: new Uint8Array(), headers: [], certificate_version: [2] },
                { status_code: 200, headers, body: new Uint8Array([1]) },
                canisterId.toUint8Array(),
                now,
                300_000_000_000n,
                keys.publicKeyDer,
                2
            );
        expect(verify('/asset/m1/preview?token=x').verificationVersion).toBe(2);
        expect(verify('/asset/m1/preview').response).toBeUndefined();
        expect(() => verify('/other')).toThrow();
    });
});

describe('skipCertification header bytes', () => {
    it('equal the string headers, byte for byte', () => {
        const skip = skipCertification('');
        const certificate = Uint8Array.from({ length: 357 }, (_, i) => (i * 11) & 0xff);
        const asText = skip.headers(certificate);
        const asBytes = skip.headerBytes(certificate).map(([name, value]) => [name, typeof value === 'string' ? value : Buffer.from(value).toString('latin1')]);
        expect(asBytes).toEqual(asText);
    });
});

describe('skipCertification in an Azle-like runtime', () => {
    it('runs without Buffer, URL, atob or btoa and gives the same bytes as in Node', async () => {
        const context = azleLikeContext();
        vm.runInContext(await bundleShared(), context);
        const result = vm.runInContext(
            `(() => {
                const skip = shared.skipCertification('/asset');
                return JSON.stringify({ data: Array.from(skip.certifiedData), headers: skip.headers(new Uint8Array([1, 2, 3])) });
            })()`,
            context
        ) as string;
        const inNode = skipCertification('/asset');
        expect(JSON.parse(result)).toEqual({ data: Array.from(inNode.certifiedData), headers: inNode.headers(Uint8Array.of(1, 2, 3)) });
    });
});
