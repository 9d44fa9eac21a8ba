/**
 * A gateway network whose canister is a script: `http_request` and friends are JS functions that
 * return Candid-encoded replies, and certificates are real (BLS-signed by a key the test owns,
 * built with localnet's certification module). Lets tests produce responses no Azle canister
 * easily would: fully certified ones, broken certificates, odd streaming strategies.
 */
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { sha256 } from '@noble/hashes/sha2';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { CertifiedState } from '../../../src/certification/certifiedState';
import { reconstruct } from '../../../src/certification/hashTree';
import {
    httpCertificateHeaderValue,
    httpCertificationTree,
    httpExpressionPath,
    type HttpCertificationEntry
} from '../../../src/certification/httpCertification';
import { encodeUnsignedLeb128 } from '../../../src/leb128';
import { blsKeyPairFromSeed } from '../../../src/certification/rootKey';
import { buildStateHashTree } from '../../../src/certification/stateTree';
import type { CallOutcome, CanisterCall, SubmitResult } from '../../../src/core/localIc';
import { RejectCode } from '../../../src/core/localIc';
import type { GatewayNetwork } from '../../../src/gateway';
import { httpInterfaceIdl, type HeaderField, type HttpUpdateRequest } from '../../../src/gateway/httpInterfaceIdl';

export const SCRIPTED_CANISTER = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
export const rootKeys = blsKeyPairFromSeed(new Uint8Array(32).fill(3));
export const otherKeys = blsKeyPairFromSeed(new Uint8Array(32).fill(4));

export type Header = HeaderField;
/** What a script sees of the gateway's request. */
export type ScriptedRequest = HttpUpdateRequest;

/** Requests are decoded as http_request_update's record: scripts never look at certificate_version. */
const requestRecord = httpInterfaceIdl(IDL, IDL.Nat).HttpUpdateRequest;

/** An HttpResponse encoder for a given token type (and callback reply shape). */
export function responseCodec(token: IDL.Type = IDL.Nat, callbackReturnsOpt = false) {
    const { HttpResponse: Response, StreamingCallbackHttpResponse: CallbackResponse } = httpInterfaceIdl(IDL, token, { callbackReturnsOpt });
    return {
        response: (r: { status?: number; headers?: Header[]; body?: Uint8Array | string; upgrade?: boolean; stream?: { token: unknown; canister?: Principal; method?: string } }) =>
            new Uint8Array(
                IDL.encode([Response], [
                    {
                        status_code: r.status ?? 200,
                        headers: r.headers ?? [],
                        body: typeof r.body === 'string' ? utf8ToBytes(r.body) : (r.body ?? new Uint8Array()),
                        upgrade: r.upgrade === undefined ? [] : [r.upgrade],
                        streaming_strategy: r.stream
                            ? [{ Callback: { callback: [r.stream.canister ?? SCRIPTED_CANISTER, r.stream.method ?? 'next'], token: r.stream.token } }]
                            : []
                    }
                ])
            ),
        callbackReply: (body: Uint8Array, next: unknown | undefined) => {
            const value = { body, token: next === undefined ? [] : [next] };
            return new Uint8Array(callbackReturnsOpt ? IDL.encode([IDL.Opt(CallbackResponse)], [[value]]) : IDL.encode([CallbackResponse], [value]));
        },
        decodeToken: (arg: Uint8Array) => IDL.decode([token], arg)[0]
    };
}

export type MethodScript = (arg: Uint8Array, kind: 'query' | 'update') => Uint8Array | CallOutcome;

export class ScriptedNetwork implements GatewayNetwork {
    readonly methods = new Map<string, MethodScript>();
    readonly calls: { method: string; kind: 'query' | 'update' }[] = [];
    nowNanos = BigInt(Date.now()) * 1_000_000n;
    rootKey: Uint8Array = rootKeys.publicKeyDer;
    #pending = new Map<string, CanisterCall>();

    queryNow(call: CanisterCall): CallOutcome {
        return this.#run(call, 'query');
    }

    async submit(call: CanisterCall): Promise<SubmitResult> {
        const messageId = utf8ToBytes(`m${this.#pending.size}`);
        this.#pending.set(Buffer.from(messageId).toString('hex'), call);
        return { kind: 'accepted', messageId, effectivePrincipal: { kind: 'none' } };
    }

    awaitNow(messageId: Uint8Array): CallOutcome {
        return this.#run(this.#pending.get(Buffer.from(messageId).toString('hex'))!, 'update');
    }

    async time(): Promise<bigint> {
        return this.nowNanos;
    }

    #run(call: CanisterCall, kind: 'query' | 'update'): CallOutcome {
        this.calls.push({ method: call.method, kind });
        if (call.canisterId.toText() !== SCRIPTED_CANISTER.toText()) {
            return { kind: 'reject', rejectCode: RejectCode.DestinationInvalid, errorCode: 'IC0301', message: `Canister ${call.canisterId.toText()} not found`, certified: false };
        }
        const script = this.methods.get(call.method);
        if (!script) {
            return { kind: 'reject', rejectCode: RejectCode.DestinationInvalid, errorCode: 'IC0536', message: `Canister has no ${kind} method '${call.method}'.`, certified: false };
        }
        const result = script(call.arg, kind);
        return result instanceof Uint8Array ? { kind: 'reply', bytes: result } : result;
    }
}

export function decodeRequest(arg: Uint8Array): ScriptedRequest {
    return IDL.decode([requestRecord], arg)[0] as unknown as ScriptedRequest;
}

/** A data certificate for the scripted canister committing to `certifiedData`. */
export function dataCertificate(certifiedData: Uint8Array, options: { keys?: typeof rootKeys; timeNanos?: bigint } = {}): Uint8Array {
    const tree = buildStateHashTree({
        timeNanos: options.timeNanos ?? BigInt(Date.now()) * 1_000_000n,
        canisters: [{ canisterId: SCRIPTED_CANISTER, controllers: [], moduleHash: new Uint8Array(32), certifiedData }]
    });
    return new CertifiedState(tree, (options.keys ?? rootKeys).secretKey).dataCertificate(SCRIPTED_CANISTER.toUint8Array());
}

/** The representation-independent hash of header pairs (repeated names stay separate pairs). */
function hashOfPairs(pairs: readonly [string, Uint8Array][]): Uint8Array {
    const entries = pairs.map(([key, valueHash]) => concatBytes(sha256(utf8ToBytes(key)), valueHash));
    entries.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return sha256(concatBytes(...entries));
}

/**
 * Headers for a response certified in full (v2, no request certification, only
 * `certifiedHeaders` among the response headers), as ic-http-certification would build them.
 */
export function fullyCertifiedHeaders(response: { status: number; headers: Header[]; body: Uint8Array; path: string; certifiedHeaders: string[] }, options: { keys?: typeof rootKeys; timeNanos?: bigint } = {}): Header[] {
    const expression = `default_certification(ValidationArgs{certification:Certification{no_request_certification:Empty{},response_certification:ResponseCertification{certified_response_headers:ResponseHeaderList{headers:[${response.certifiedHeaders.map((h) => JSON.stringify(h)).join(',')}]}}}})`;
    const hashed: [string, Uint8Array][] = [
        ...response.headers.filter(([name]) => response.certifiedHeaders.includes(name.toLowerCase())).map(([name, value]): [string, Uint8Array] => [name.toLowerCase(), sha256(utf8ToBytes(value))]),
        ['ic-certificateexpression', sha256(utf8ToBytes(expression))],
        [':ic-cert-status', sha256(encodeUnsignedLeb128(response.status))]
    ];
    const responseHash = sha256(concatBytes(hashOfPairs(hashed), sha256(response.body)));
    const entry: HttpCertificationEntry = { exprPath: httpExpressionPath(response.path, 'exact'), expression, responseHash };
    const tree = httpCertificationTree([entry]);
    const certificate = dataCertificate(reconstruct(tree), options);
    return [
        ['IC-Certificate', httpCertificateHeaderValue({ certificate, tree, exprPath: entry.exprPath })],
        ['IC-CertificateExpression', expression]
    ];
}
