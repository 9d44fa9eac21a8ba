import { describe, expect, it } from 'vitest';
import { verifyRequestResponsePair } from '@dfinity/response-verification';
import { Principal } from '@icp-sdk/core/principal';
import { bytesToHex } from '@noble/hashes/utils';
import { CertifiedState } from '../../src/certification/certifiedState';
import { createSubnetDelegation } from '../../src/certification/delegation';
import { NodeTag, reconstruct } from '../../src/certification/hashTree';
import { encodeHashTree } from '../../src/certification/hashTreeCbor';
import {
    SKIP_CERTIFICATION_EXPRESSION,
    httpCertificateHeaderValue,
    httpCertificationTree,
    httpExpressionPath,
    skipCertificationHeaders,
    skipCertificationTree
} from '../../src/certification/httpCertification';
import { blsKeyPairFromSeed } from '../../src/certification/rootKey';
import { buildStateHashTree } from '../../src/certification/stateTree';

const rootKeys = blsKeyPairFromSeed(new Uint8Array(32).fill(1));
const otherKeys = blsKeyPairFromSeed(new Uint8Array(32).fill(2));
const canisterId = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
const MAX_CERT_TIME_OFFSET_NS = 300_000_000_000n;
const nowNanos = (): bigint => BigInt(Date.now()) * 1_000_000n;

function stateWithCertifiedData(certifiedData: Uint8Array, keys = rootKeys): CertifiedState {
    const tree = buildStateHashTree({
        timeNanos: nowNanos(),
        canisters: [{ canisterId, controllers: [], moduleHash: new Uint8Array(32), certifiedData }]
    });
    return new CertifiedState(tree, keys.secretKey);
}

function verify(headers: [string, string][], rootKeyDer = rootKeys.publicKeyDer, url = '/photos/1.jpg') {
    return verifyRequestResponsePair(
        { url, method: 'GET', body: new Uint8Array(), headers: [], certificate_version: [2] },
        { status_code: 200, headers, body: new Uint8Array([1, 2, 3]) },
        canisterId.toUint8Array(),
        nowNanos(),
        MAX_CERT_TIME_OFFSET_NS,
        rootKeyDer,
        2
    );
}

describe('HTTP certification (v2, skip)', () => {
    it('matches the ic-http-certification crate byte for byte', () => {
        // skip_certification_certified_data() in ic-http-certification's utils/skip_certification.rs
        expect(Array.from(reconstruct(skipCertificationTree()))).toEqual([
            85, 236, 195, 28, 62, 128, 71, 252, 21, 143, 32, 234, 10, 160, 96, 154, 172, 199, 181, 126, 6, 234, 64,
            220, 65, 134, 2, 114, 167, 214, 66, 145
        ]);
        // The header in that crate's add_skip_certification_header doc example (certificate [1, 2, 3]).
        const [[name, value], [expressionName, expression]] = skipCertificationHeaders(Uint8Array.of(1, 2, 3)) as [
            [string, string],
            [string, string]
        ];
        expect(name).toBe('IC-Certificate');
        expect(value).toBe(
            'certificate=:AQID:, tree=:2dn3gwJJaHR0cF9leHBygwJDPCo+gwJYIMMautvQsFn51GT9bfTani3Ah659C0BGjTNyJtQTszcjggNA:, expr_path=:2dn3gmlodHRwX2V4cHJjPCo+:, version=2'
        );
        expect([expressionName, expression]).toEqual(['IC-CertificateExpression', SKIP_CERTIFICATION_EXPRESSION]);
    });

    it('is accepted by @dfinity/response-verification with the instance root key', () => {
        const state = stateWithCertifiedData(reconstruct(skipCertificationTree()));
        const result = verify(skipCertificationHeaders(state.dataCertificate(canisterId.toUint8Array())));
        expect(result.verificationVersion).toBe(2);
        // Skipped certification certifies no response: the gateway passes it through unverified.
        expect(result.response).toBeUndefined();
    });

    it('is rejected with another root key', () => {
        const state = stateWithCertifiedData(reconstruct(skipCertificationTree()));
        const headers = skipCertificationHeaders(state.dataCertificate(canisterId.toUint8Array()));
        expect(() => verify(headers, otherKeys.publicKeyDer)).toThrow(/Certificate verification failed/);
    });

    it('is rejected when certified_data does not commit to the skip tree', () => {
        const state = stateWithCertifiedData(new Uint8Array(32).fill(7));
        const headers = skipCertificationHeaders(state.dataCertificate(canisterId.toUint8Array()));
        expect(() => verify(headers)).toThrow(/Invalid tree root hash/);
    });

    it('is rejected when the expression header was changed', () => {
        const state = stateWithCertifiedData(reconstruct(skipCertificationTree()));
        const [certificate] = skipCertificationHeaders(state.dataCertificate(canisterId.toUint8Array()));
        const otherExpression =
            'default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{},response_certification:ResponseCertification{certified_response_headers:ResponseHeaderList{headers:[]}}}})';
        expect(() => verify([certificate!, ['IC-CertificateExpression', otherExpression]])).toThrow(/hash of the CEL expression/);
    });

    it('also verifies a skip entry scoped to a path prefix, witnessed from a larger tree', () => {
        const scoped = { exprPath: httpExpressionPath('/photos', 'wildcard'), expression: SKIP_CERTIFICATION_EXPRESSION };
        const tree = httpCertificationTree([
            scoped,
            { exprPath: httpExpressionPath('/index.html', 'exact'), expression: 'x', responseHash: new Uint8Array(32) }
        ]);
        const state = stateWithCertifiedData(reconstruct(tree));
        const header = httpCertificateHeaderValue({
            certificate: state.dataCertificate(canisterId.toUint8Array()),
            tree,
            exprPath: scoped.exprPath
        });
        const headers: [string, string][] = [
            ['IC-Certificate', header],
            ['IC-CertificateExpression', SKIP_CERTIFICATION_EXPRESSION]
        ];
        expect(verify(headers).verificationVersion).toBe(2);
        // The same headers do not cover a URL outside the /photos prefix.
        expect(() => verify(headers, rootKeys.publicKeyDer, '/index.html')).toThrow(/wildcard expression path/i);
    });
});

describe('HTTP certification on a delegated subnet', () => {
    it('is accepted with the root key when the certificate carries a subnet delegation', () => {
        const subnetKeys = otherKeys;
        const subnetId = Principal.fromText('2fq7c-slacv-26cgz-vzbx2-2jrcs-5edph-i5s2j-tck77-c3rlz-iobzx-mqe');
        const subnets = [{ subnetId, publicKeyDer: subnetKeys.publicKeyDer, canisterRanges: [{ start: canisterId, end: canisterId }] }];
        const rootState = new CertifiedState(buildStateHashTree({ timeNanos: nowNanos(), subnets }), rootKeys.secretKey);
        const subnetTree = buildStateHashTree({
            timeNanos: nowNanos(),
            canisters: [
                { canisterId, controllers: [], moduleHash: new Uint8Array(32), certifiedData: reconstruct(skipCertificationTree()) }
            ],
            subnets
        });
        const subnetState = new CertifiedState(
            subnetTree,
            subnetKeys.secretKey,
            createSubnetDelegation(rootState, subnetId.toUint8Array())
        );
        const headers = skipCertificationHeaders(subnetState.dataCertificate(canisterId.toUint8Array()));
        expect(verify(headers).verificationVersion).toBe(2);
        expect(() => verify(headers, subnetKeys.publicKeyDer)).toThrow(/Certificate verification failed/);
    });
});

describe('HTTP certification tree paths', () => {
    it('builds expr paths like HttpCertificationPath::to_expr_path', () => {
        expect(httpExpressionPath('', 'wildcard')).toEqual(['http_expr', '<*>']);
        expect(httpExpressionPath('/', 'exact')).toEqual(['http_expr', '', '<$>']);
        expect(httpExpressionPath('foo/bar/', 'wildcard')).toEqual(['http_expr', 'foo', 'bar', '', '<*>']);
        expect(httpExpressionPath('/foo/bar', 'exact')).toEqual(['http_expr', 'foo', 'bar', '<$>']);
    });

    it('puts "" for the request hash of response-only entries and ends every path in an empty leaf', () => {
        const responseHash = new Uint8Array(32).fill(0xee);
        const tree = httpCertificationTree([
            { exprPath: ['http_expr', 'a', '<$>'], expression: 'e', responseHash }
        ]);
        const hex = bytesToHex(encodeHashTree(tree, { selfDescribe: false }));
        // labeled "" then labeled <responseHash> then leaf ""
        expect(hex).toContain('830240' + '83025820' + 'ee'.repeat(32) + '8203' + '40');
        expect(tree[0]).toBe(NodeTag.Labeled);
    });
});
