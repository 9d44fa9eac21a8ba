/**
 * The codecs against PicJS's own encoders/decoders: requests are produced exactly as PicJS
 * produces them (its encode* functions + json-with-bigint) and responses are consumed exactly as
 * PicJS consumes them (JSON.parse / JSONParse + its decode* functions).
 */
import {
    decodeAwaitCanisterCallResponse,
    decodeCanisterCallResponse,
    decodeGetControllersResponse,
    decodeGetCyclesBalanceResponse,
    decodeGetStableMemoryResponse,
    decodeGetSubnetIdResponse,
    decodeGetTimeResponse,
    decodeGetTopologyResponse,
    decodeSubmitCanisterCallResponse,
    decodeUploadBlobResponse,
    encodeAddCyclesRequest,
    encodeAwaitCanisterCallRequest,
    encodeCanisterCallRequest,
    encodeCreateInstanceRequest,
    encodeGetControllersRequest,
    encodeGetCyclesBalanceRequest,
    encodeGetPubKeyRequest,
    encodeGetStableMemoryRequest,
    encodeGetSubnetIdRequest,
    encodeIngressStatusRequest,
    encodeSetStableMemoryRequest,
    encodeSetTimeRequest,
    encodeSubmitCanisterCallRequest,
    SubnetStateType
} from '@dfinity/pic/dist/pocket-ic-client-types';
import { base64DecodePrincipal } from '@dfinity/pic/dist/util/encoding';
import { Principal } from '@icp-sdk/core/principal';
import { describe, expect, it } from 'vitest';
import type { CallOutcome, Topology } from '../../src/core/localIc';
import { RejectCode } from '../../src/core/localIc';
import { BlobStore } from '../../src/rest/blobStore';
import {
    decodeCanisterCall,
    decodeIngressStatusArgs,
    decodeMessageRef,
    encodeCallOutcome,
    encodeSubmitted
} from '../../src/rest/codec/callCodec';
import { decodeInstanceConfig } from '../../src/rest/codec/instanceConfigCodec';
import { errorCodeFromName, errorCodeName } from '../../src/rest/codec/rejectCodes';
import {
    decodeAddCycles,
    decodeAutoProgressConfig,
    decodeCanisterId,
    decodeSetStableMemory,
    decodeSubnetId,
    decodeTime,
    encodeControllers,
    encodeCycles,
    encodeOptionalSubnetId,
    encodeStableMemory,
    encodeTime
} from '../../src/rest/codec/stateCodec';
import { encodeTopology } from '../../src/rest/codec/topologyCodec';
import { DecodeError, RestError } from '../../src/rest/errors';
import type { JsonValue } from '../../src/rest/json';
import { parseJson, stringifyJson } from '../../src/rest/json';
import { picParse, picStringify } from './support/picjs';

/** A request body exactly as PicJS puts it on the wire, as our server parses it. */
const sent = (encoded: unknown): JsonValue => parseJson(picStringify(encoded));
/** A response body as PicJS reads it: JSON.parse, or JSONParse for bigint endpoints. */
const received = (value: JsonValue): never => JSON.parse(stringifyJson(value)) as never;
const receivedWithBigInts = (value: JsonValue): never => picParse(stringifyJson(value)) as never;

const alice = Principal.fromText('xkbqi-2qaaa-aaaah-qbpqq-cai');
const bob = Principal.fromUint8Array(new Uint8Array(29).fill(7));
const canister = Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai');
const subnet = Principal.fromText('tdb26-jop6k-aogll-7ltgs-eruif-6kk7m-qpktf-gdiqx-mxtrf-vb5e6-eqe');
const bytes = (...values: number[]) => new Uint8Array(values);

function expectDecodeError(run: () => unknown, fragment: string): void {
    try {
        run();
    } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        expect((error as DecodeError).status).toBe(422);
        expect((error as Error).message).toContain(fragment);
        return;
    }
    expect.fail('expected a DecodeError');
}

describe('canister call requests', () => {
    it.each([
        ['no effective principal', undefined, { kind: 'none' }],
        ['a subnet', { subnetId: subnet }, { kind: 'subnet', id: subnet }],
        ['a canister', { canisterId: canister }, { kind: 'canister', id: canister }]
    ])('decodes query/submit bodies with %s', (_label, effectivePrincipal, expected) => {
        const request = {
            sender: alice,
            canisterId: canister,
            method: 'greet',
            payload: bytes(0x44, 0x49, 0x44, 0x4c, 0, 0),
            ...(effectivePrincipal ? { effectivePrincipal } : {})
        };
        for (const encode of [encodeCanisterCallRequest, encodeSubmitCanisterCallRequest]) {
            const call = decodeCanisterCall(sent(encode(request)));
            expect(call.sender.toText()).toBe(alice.toText());
            expect(call.canisterId.toText()).toBe(canister.toText());
            expect(call.method).toBe('greet');
            expect(call.arg).toEqual(request.payload);
            expect(call.effectivePrincipal?.kind).toBe(expected.kind);
            if (call.effectivePrincipal?.kind !== 'none' && 'id' in expected) {
                expect(call.effectivePrincipal?.id.toText()).toBe(expected.id.toText());
            }
        }
    });

    it('hands the core payloads that own their ArrayBuffer', () => {
        // IDL.decode (@icp-sdk/core 5.x, as @dfinity/candid 3.x) reads `bytes.buffer` from offset 0; a view into Buffer's
        // shared pool would make it decode unrelated bytes.
        const payload = bytes(0x44, 0x49, 0x44, 0x4c, 0, 0);
        const call = decodeCanisterCall(
            sent(encodeCanisterCallRequest({ sender: alice, canisterId: canister, method: 'm', payload }))
        );
        expect(call.arg.byteOffset).toBe(0);
        expect(call.arg.buffer.byteLength).toBe(payload.length);
    });

    it('decodes 29-byte senders, empty payloads and the anonymous principal', () => {
        const call = decodeCanisterCall(
            sent(encodeCanisterCallRequest({ sender: bob, canisterId: Principal.anonymous(), method: '', payload: bytes() }))
        );
        expect(call.sender.toText()).toBe(bob.toText());
        expect(call.canisterId.isAnonymous()).toBe(true);
        expect(call.arg).toEqual(bytes());
    });

    it('refuses sender_info rather than dropping it', () => {
        const body = sent(
            encodeCanisterCallRequest({
                sender: alice,
                canisterId: canister,
                method: 'm',
                payload: bytes(),
                senderInfo: { info: bytes(1), signer: bob }
            })
        );
        expect(() => decodeCanisterCall(body)).toThrow(RestError);
        expect(() => decodeCanisterCall(body)).toThrow('sender_info');
    });

    it('names the offending field of malformed bodies', () => {
        expectDecodeError(() => decodeCanisterCall([]), 'body: expected an object');
        expectDecodeError(() => decodeCanisterCall({ canister_id: 'AA==', method: 'm', payload: '' }), 'missing field `sender`');
        expectDecodeError(() => decodeCanisterCall({ sender: 42, canister_id: 'AA==', method: 'm', payload: '' }), 'body.sender: expected a string');
        expectDecodeError(() => decodeCanisterCall({ sender: 'not base64!', canister_id: 'AA==', method: 'm', payload: '' }), 'invalid base64');
        expectDecodeError(
            () => decodeCanisterCall({ sender: Buffer.alloc(30).toString('base64'), canister_id: 'AA==', method: 'm', payload: '' }),
            'at most 29 bytes'
        );
        expectDecodeError(
            () => decodeCanisterCall({ sender: 'BA==', canister_id: 'AA==', method: 'm', payload: '', effective_principal: { Nope: 'AA==' } }),
            'unknown variant `Nope`'
        );
    });
});

describe('ingress message round trip', () => {
    it('gives PicJS a message id that it can pass back to await and ingress_status unchanged', () => {
        const messageId = new Uint8Array(32).map((_, i) => i * 7);
        const submitted = decodeSubmitCanisterCallResponse(
            received(encodeSubmitted({ messageId, effectivePrincipal: { kind: 'canister', id: canister } }))
        );
        expect(submitted.effectivePrincipal).toEqual({ canisterId: expect.anything() });

        const awaited = decodeMessageRef(sent(encodeAwaitCanisterCallRequest(submitted)), 'body');
        expect(awaited.messageId).toEqual(messageId);
        expect(awaited.effectivePrincipal).toMatchObject({ kind: 'canister' });

        const status = decodeIngressStatusArgs(
            sent(encodeIngressStatusRequest({ messageId: encodeAwaitCanisterCallRequest(submitted), caller: alice }))
        );
        expect(status.message.messageId).toEqual(messageId);
        expect(status.caller?.toText()).toBe(alice.toText());
    });

    it("accepts the Rust client's RawPrincipalId caller and a missing caller", () => {
        const raw = { raw_message_id: { effective_principal: 'None', message_id: 'AQI=' }, raw_caller: { principal_id: 'BA==' } };
        expect(decodeIngressStatusArgs(raw).caller?.toUint8Array()).toEqual(bytes(4));
        expect(decodeIngressStatusArgs({ raw_message_id: raw.raw_message_id, raw_caller: null }).caller).toBeUndefined();
    });
});

describe('call outcomes', () => {
    it('encodes replies as PicJS decodes them', () => {
        const outcome: CallOutcome = { kind: 'reply', bytes: bytes(1, 2, 255) };
        expect(decodeCanisterCallResponse(received(encodeCallOutcome(outcome))).body).toEqual(bytes(1, 2, 255));
        expect(decodeAwaitCanisterCallResponse(received(encodeCallOutcome({ kind: 'reply', bytes: bytes() }))).body).toEqual(bytes());
    });

    it("encodes rejects with PocketIC's variant names, which PicJS turns into its error message", () => {
        const outcome: CallOutcome = {
            kind: 'reject',
            rejectCode: RejectCode.CanisterError,
            message: 'Canister trapped',
            errorCode: 'IC0503',
            certified: true
        };
        expect(encodeCallOutcome(outcome)).toEqual({
            Err: { reject_code: 'CanisterError', reject_message: 'Canister trapped', error_code: 'CanisterCalledTrap', certified: true }
        });
        expect(() => decodeCanisterCallResponse(received(encodeCallOutcome(outcome)))).toThrow(
            'Canister call failed: Canister trapped. Reject code: CanisterError. Error code: CanisterCalledTrap. Certified: true'
        );
    });

    it('maps every IC error code both ways and passes unknown codes through', () => {
        expect(errorCodeName('IC0536')).toBe('CanisterMethodNotFound');
        expect(errorCodeName('IC0301')).toBe('CanisterNotFound');
        expect(errorCodeFromName('CanisterMethodNotFound')).toBe('IC0536');
        expect(errorCodeName('IC0999')).toBe('IC0999');
        expect(errorCodeName('weird')).toBe('weird');
    });
});

describe('instance state requests and responses', () => {
    it('decodes set_time from milliseconds and from exact nanoseconds', () => {
        expect(decodeTime(sent(encodeSetTimeRequest({ millisSinceEpoch: 1_700_000_000_123 })))).toBe(1_700_000_000_123_000_000n);
        expect(decodeTime(sent(encodeSetTimeRequest({ nanosSinceEpoch: 1_700_000_000_123_456_789n })))).toBe(1_700_000_000_123_456_789n);
        expectDecodeError(() => decodeTime({ nanos_since_epoch: -1 }), 'out of range for u64');
        expectDecodeError(() => decodeTime({ nanos_since_epoch: 2n ** 64n }), 'out of range for u64');
        expectDecodeError(() => decodeTime({ nanos_since_epoch: 1.5 }), 'expected an unsigned integer');
    });

    it('encodes time and cycles as exact integers', () => {
        expect(decodeGetTimeResponse(receivedWithBigInts(encodeTime(1_700_000_000_123_456_789n))).nanosSinceEpoch).toBe(
            1_700_000_000_123_456_789n
        );
        expect(decodeGetCyclesBalanceResponse(receivedWithBigInts(encodeCycles(2n ** 127n + 1n))).cycles).toBe(2n ** 127n + 1n);
    });

    it('decodes every RawCanisterId request PicJS sends', () => {
        const request = { canisterId: canister };
        for (const encode of [encodeGetCyclesBalanceRequest, encodeGetControllersRequest, encodeGetSubnetIdRequest, encodeGetStableMemoryRequest]) {
            expect(decodeCanisterId(sent(encode(request))).toText()).toBe(canister.toText());
        }
        expect(decodeSubnetId(sent(encodeGetPubKeyRequest({ subnetId: subnet }))).toText()).toBe(subnet.toText());
    });

    it('decodes add_cycles amounts up to u128', () => {
        const decoded = decodeAddCycles(sent(encodeAddCyclesRequest({ canisterId: canister, amount: 2n ** 100n + 3n })));
        expect(decoded.amount).toBe(2n ** 100n + 3n);
        expect(decoded.canisterId.toText()).toBe(canister.toText());
        expect(decodeAddCycles(sent(encodeAddCyclesRequest({ canisterId: canister, amount: 7n }))).amount).toBe(7n);
        expectDecodeError(() => decodeAddCycles({ canister_id: 'AA==', amount: 2n ** 128n }), 'out of range for u128');
    });

    it('resolves set_stable_memory blob ids from the upload response', () => {
        const blobs = new BlobStore();
        const hexId = blobs.store({ data: bytes(9, 8, 7), compression: 'none' });
        const { blobId } = decodeUploadBlobResponse(hexId);
        const decoded = decodeSetStableMemory(sent(encodeSetStableMemoryRequest({ canisterId: canister, blobId })));
        expect(blobs.contents(decoded.blobId)).toEqual(bytes(9, 8, 7));
        expect(() => blobs.contents(bytes(1, 2))).toThrow('BlobNotFound');
    });

    it('encodes stable memory, controllers and subnet ids as PicJS decodes them', () => {
        expect(decodeGetStableMemoryResponse(received(encodeStableMemory(bytes(0, 1, 2)))).blob).toEqual(bytes(0, 1, 2));
        expect(decodeGetControllersResponse(received(encodeControllers([alice, bob]))).map((p) => p.toText())).toEqual([
            alice.toText(),
            bob.toText()
        ]);
        expect(decodeGetSubnetIdResponse(received(encodeOptionalSubnetId(subnet))).subnetId?.toText()).toBe(subnet.toText());
        expect(decodeGetSubnetIdResponse(received(encodeOptionalSubnetId(undefined))).subnetId).toBeNull();
    });

    it('decodes auto_progress configs from PicJS and the Rust client', () => {
        expect(decodeAutoProgressConfig({ artificial_delay_ms: 0 })).toEqual({ artificialDelayMs: 0 });
        expect(decodeAutoProgressConfig({ artificial_delay_ms: null })).toEqual({});
    });
});

describe('topology', () => {
    it('encodes the topology as PicJS decodes it', () => {
        const topology: Topology = {
            subnets: [
                {
                    id: subnet,
                    kind: 'Application',
                    canisterRanges: [{ start: canister, end: alice }],
                    nodeIds: [bob, alice],
                    publicKey: bytes(0x30)
                }
            ],
            defaultEffectiveCanisterId: canister
        };
        const encoded = encodeTopology(topology);
        const decoded = decodeGetTopologyResponse(received(encoded));
        const entry = decoded[subnet.toText()];
        expect(entry?.id.toText()).toBe(subnet.toText());
        expect(entry?.type).toBe('Application');
        expect(entry?.size).toBe(2);
        expect(entry?.canisterRanges.map(({ start, end }) => [start.toText(), end.toText()])).toEqual([[canister.toText(), alice.toText()]]);
        const defaultId = (received(encoded) as { default_effective_canister_id: { canister_id: string } }).default_effective_canister_id;
        expect(base64DecodePrincipal(defaultId.canister_id).toText()).toBe(canister.toText());
    });
});

describe('instance config', () => {
    it("decodes PicJS's default request to one application subnet", () => {
        expect(decodeInstanceConfig(sent(encodeCreateInstanceRequest()))).toEqual({ config: { subnets: [{ kind: 'Application' }] } });
    });

    it('orders named, system and application subnets like PocketIC', () => {
        const fresh = { state: { type: SubnetStateType.New } } as const;
        const request = encodeCreateInstanceRequest({ application: [fresh, fresh], system: [fresh], nns: fresh, ii: fresh, fiduciary: fresh });
        expect(decodeInstanceConfig(sent(request)).config.subnets).toEqual([
            { kind: 'NNS' },
            { kind: 'II' },
            { kind: 'Fiduciary' },
            { kind: 'System' },
            { kind: 'Application' },
            { kind: 'Application' }
        ]);
    });

    it("decodes the Rust client's InstanceConfig, including initial_time", () => {
        const rust = {
            subnet_config_set: {
                nns: null,
                sns: null,
                ii: null,
                fiduciary: null,
                bitcoin: null,
                system: [],
                application: [{ state_config: 'New', instruction_config: 'Production' }],
                verified_application: []
            },
            http_gateway_config: null,
            state_dir: null,
            icp_config: { beta_features: null, canister_backtrace: null, function_name_length_limits: null, canister_execution_rate_limiting: null },
            log_level: null,
            bitcoind_addr: null,
            dogecoind_addr: null,
            icp_features: { registry: null, cycles_minting: null, ii: null },
            incomplete_state: null,
            initial_time: { Timestamp: { nanos_since_epoch: 1_620_328_630_000_000_000n } }
        };
        expect(decodeInstanceConfig(rust)).toEqual({
            config: { subnets: [{ kind: 'Application' }], initialTimeNanos: 1_620_328_630_000_000_000n }
        });
        expect(decodeInstanceConfig({ ...rust, initial_time: { AutoProgress: { artificial_delay_ms: 5 } } })).toEqual({
            config: { subnets: [{ kind: 'Application' }] },
            autoProgress: { artificialDelayMs: 5 }
        });
    });

    it.each([
        ['subnets loaded from disk', encodeCreateInstanceRequest({ nns: { state: { type: SubnetStateType.FromPath, path: '/tmp/nns' } } }), 'FromPath'],
        ['ICP features', encodeCreateInstanceRequest({ icpFeatures: { ii: 'DefaultConfig' as never } }), 'icp_features ii'],
        [
            'verified application subnets',
            encodeCreateInstanceRequest({ verifiedApplication: [{ state: { type: SubnetStateType.New } }] }),
            'verified_application'
        ],
        [
            'the Free cost schedule',
            encodeCreateInstanceRequest({ application: [{ state: { type: SubnetStateType.New }, costSchedule: 'Free' as never }] }),
            'cost_schedule Free'
        ]
    ])('refuses %s with a tagged 400', (_label, request, fragment) => {
        try {
            decodeInstanceConfig(sent(request));
            expect.fail('expected a RestError');
        } catch (error) {
            expect(error).toBeInstanceOf(RestError);
            expect(error).toMatchObject({ status: 400, shape: 'tagged' });
            expect((error as Error).message).toContain(fragment);
            expect((error as Error).message).toContain('not supported by localnet');
        }
    });

    it('answers a config without subnets with "Bad config", like PocketIC', () => {
        expect(() => decodeInstanceConfig({ subnet_config_set: { system: [], application: [] } })).toThrow('Bad config');
        expectDecodeError(() => decodeInstanceConfig({}), 'missing field `subnet_config_set`');
    });
});
