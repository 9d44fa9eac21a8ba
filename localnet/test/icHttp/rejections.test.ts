/**
 * What the IC HTTP interface refuses, with the replica's status codes and messages: bad
 * signatures, wrong sender keys, ingress expiry outside the window, expired or mis-targeted
 * delegations, read_state of someone else's request, path authorization, malformed bodies.
 * Agent-level cases use the agent (@icp-sdk/core) unmodified; the rest post hand-built envelopes signed by the
 * agents' own identities.
 */
import { Actor, AnonymousIdentity, Cbor, HttpAgent, SignIdentity, type Identity, type PublicKey, type Signature } from '@icp-sdk/core/agent';
import { IDL } from '@icp-sdk/core/candid';
import { DelegationChain, DelegationIdentity, Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Principal } from '@icp-sdk/core/principal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcHttpHandler } from '../../src/icHttp';
import { counterIdl, type CounterService } from '../support/testCanisterInterfaces';
import { testCanisterWasm } from '../support/testCanisters';
import { installThroughCore } from '../support/installThroughCore';
import { serveOnLoopback } from '../support/loopbackServer';
import { anonymousEnvelope, post, signedEnvelope, startIcHttp, withCustomSection, type IcHttpFixture } from './fixture';

const controller = Ed25519KeyIdentity.generate();
const MINUTE_NANOS = 60n * 1_000_000_000n;

/** Signs with the wrapped identity's key, then flips a bit of the signature. */
class TamperingIdentity extends SignIdentity {
    constructor(private readonly inner: Ed25519KeyIdentity) {
        super();
    }
    getPublicKey(): PublicKey {
        return this.inner.getPublicKey();
    }
    async sign(blob: Uint8Array): Promise<Signature> {
        const signature = new Uint8Array(await this.inner.sign(blob));
        signature[0]! ^= 1;
        return signature as Signature;
    }
}

/** Claims a principal that is not derived from its key. */
class ImpostorIdentity extends SignIdentity {
    constructor(
        private readonly inner: Ed25519KeyIdentity,
        private readonly claimed: Principal
    ) {
        super();
    }
    override getPrincipal(): Principal {
        return this.claimed;
    }
    getPublicKey(): PublicKey {
        return this.inner.getPublicKey();
    }
    sign(blob: Uint8Array): Promise<Signature> {
        return this.inner.sign(blob);
    }
}

describe('through the agent (@icp-sdk/core, live instance)', () => {
    let fixture: IcHttpFixture;
    let counterId: Principal;

    beforeAll(async () => {
        fixture = await startIcHttp();
        await fixture.network.autoProgress();
        counterId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [controller.getPrincipal()]);
    });
    afterAll(async () => {
        await fixture?.close();
    });

    const agentFor = (identity: Identity) => HttpAgent.create({ host: fixture.url, identity, shouldFetchRootKey: true, retryTimes: 0 });
    const counterFor = async (identity: Identity) =>
        Actor.createActor<CounterService>(counterIdl, { agent: await agentFor(identity), canisterId: counterId });

    it('refuses a tampered signature (400)', async () => {
        const counter = await counterFor(new TamperingIdentity(Ed25519KeyIdentity.generate()));
        await expect(counter.increment('x')).rejects.toThrow(
            /Status: 400[\s\S]*Invalid signature: Invalid basic signature: Ed25519 signature could not be verified: public key [0-9a-f]{64}, signature/
        );
    });

    it('refuses a sender that is not the principal of the sender key (400)', async () => {
        const claimed = Ed25519KeyIdentity.generate().getPrincipal();
        const counter = await counterFor(new ImpostorIdentity(Ed25519KeyIdentity.generate(), claimed));
        await expect(counter.increment('x')).rejects.toThrow(new RegExp(`The user id '${claimed.toText()}' does not match the public key '302a300506032b6570032100`));
    });

    it('refuses an expired delegation (400)', async () => {
        const session = Ed25519KeyIdentity.generate();
        const chain = await DelegationChain.create(Ed25519KeyIdentity.generate(), session.getPublicKey(), new Date(Date.now() - 60_000));
        const counter = await counterFor(DelegationIdentity.fromDelegation(session, chain));
        await expect(counter.increment('x')).rejects.toThrow(/Invalid delegation expiry: Specified sender delegation has expired:\nProvided expiry: {4}\d{4}-/);
    });

    it('refuses a delegation whose targets exclude the canister, for updates and queries (400)', async () => {
        const session = Ed25519KeyIdentity.generate();
        const elsewhere = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
        const chain = await DelegationChain.create(Ed25519KeyIdentity.generate(), session.getPublicKey(), new Date(Date.now() + 60_000), {
            targets: [elsewhere]
        });
        const counter = await counterFor(DelegationIdentity.fromDelegation(session, chain));
        const message = new RegExp(`Canister '${counterId.toText()}' is not one of the delegation targets\\.`);
        await expect(counter.increment('x')).rejects.toThrow(message);
        await expect(counter.get('x')).rejects.toThrow(/Status: 400/);
    });

    it('refuses read_state of another sender\'s request status (403), and allows the sender', async () => {
        const sender = await agentFor(Ed25519KeyIdentity.generate());
        const { requestId } = await sender.call(counterId, { methodName: 'increment', arg: new Uint8Array(IDL.encode([IDL.Text], ['mine'])), effectiveCanisterId: counterId });
        const path = [[new TextEncoder().encode('request_status'), requestId]];
        await expect(sender.readState(counterId, { paths: path })).resolves.toHaveProperty('certificate');
        const other = await agentFor(Ed25519KeyIdentity.generate());
        await expect(other.readState(counterId, { paths: path })).rejects.toThrow(
            /Status: 403[\s\S]*The user tries to access Request ID not signed by the caller\./
        );
        const anonymous = await agentFor(new AnonymousIdentity());
        await expect(anonymous.readState(counterId, { paths: path })).rejects.toThrow(/Status: 403/);
    });
});

describe('hand-built envelopes (instance time frozen)', () => {
    let fixture: IcHttpFixture;
    let counterId: Principal;
    let secretId: Principal;
    const now = BigInt(Date.now()) * 1_000_000n;
    const user = Ed25519KeyIdentity.generate();

    beforeAll(async () => {
        fixture = await startIcHttp({ initialTimeNanos: now });
        counterId = await installThroughCore(fixture.network, testCanisterWasm('counter'), [controller.getPrincipal()]);
        const wasm = withCustomSection(testCanisterWasm('counter'), 'icp:private secret', new TextEncoder().encode('only for controllers'));
        secretId = await installThroughCore(fixture.network, wasm, [controller.getPrincipal()]);
    });
    afterAll(async () => {
        await fixture?.close();
    });

    const callContent = (sender: Principal, ingressExpiry: bigint, extra: Record<string, unknown> = {}) => ({
        request_type: 'call',
        canister_id: counterId,
        method_name: 'increment',
        arg: new Uint8Array(IDL.encode([IDL.Text], ['raw'])),
        sender,
        ingress_expiry: ingressExpiry,
        ...extra
    });
    const readStateContent = (sender: Principal, paths: Uint8Array[][], ingressExpiry = now + 4n * MINUTE_NANOS) => ({
        request_type: 'read_state',
        paths,
        sender,
        ingress_expiry: ingressExpiry
    });
    const callPath = () => `/api/v3/canister/${counterId.toText()}/call`;
    const readStatePath = (id = counterId) => `/api/v2/canister/${id.toText()}/read_state`;
    const label = (text: string) => new TextEncoder().encode(text);

    describe('ingress expiry', () => {
        it('accepts the whole window: now … now + 5 min + 30 s drift', async () => {
            for (const expiry of [now, now + 5n * MINUTE_NANOS + 30n * 1_000_000_000n]) {
                const response = await post(fixture.url, callPath(), await signedEnvelope(user, callContent(user.getPrincipal(), expiry, { nonce: label(`${expiry}`) })));
                expect(response.status).toBe(200);
            }
        });

        it.each([
            ['in the past', -1n],
            ['too far in the future', 5n * MINUTE_NANOS + 30n * 1_000_000_000n + 1n]
        ])('refuses an ingress expiry %s (400, the message agents resync on)', async (_name, offset) => {
            const response = await post(fixture.url, callPath(), await signedEnvelope(user, callContent(user.getPrincipal(), now + offset)));
            expect(response.status).toBe(400);
            expect(response.text).toMatch(
                /^Invalid request expiry: Specified ingress_expiry not within expected range: Minimum allowed expiry: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? UTC, Maximum allowed expiry: .* UTC, Provided expiry: {8}.* UTC$/
            );
        });

        it('does not check the expiry of anonymous read_state requests, as the replica', async () => {
            const response = await post(fixture.url, readStatePath(), anonymousEnvelope(readStateContent(Principal.anonymous(), [[label('time')]], 1n)));
            expect(response.status).toBe(200);
        });
    });

    describe('sender and signature', () => {
        it('refuses a signed request from the anonymous principal', async () => {
            const envelope = Cbor.encode({ content: callContent(Principal.anonymous(), now + MINUTE_NANOS), sender_pubkey: new Uint8Array(44), sender_sig: new Uint8Array(64) });
            const response = await post(fixture.url, callPath(), envelope);
            expect([response.status, response.text]).toEqual([400, 'Signature is not allowed for the anonymous user.']);
        });

        it('refuses an unsigned request from a non-anonymous principal', async () => {
            const response = await post(fixture.url, callPath(), anonymousEnvelope(callContent(user.getPrincipal(), now + MINUTE_NANOS)));
            expect([response.status, response.text]).toEqual([400, `Missing signature from user: ${user.getPrincipal().toText()}`]);
        });

        it('refuses a signature made over different content', async () => {
            const signed = Cbor.decode<{ content: Record<string, unknown> }>(await signedEnvelope(user, callContent(user.getPrincipal(), now + MINUTE_NANOS)));
            signed.content.method_name = 'get';
            const response = await post(fixture.url, callPath(), Cbor.encode(signed));
            expect(response.status).toBe(400);
            expect(response.text).toMatch(/^Invalid signature: Invalid basic signature: Ed25519 signature could not be verified/);
        });

        it('refuses a nonce over 32 bytes', async () => {
            const response = await post(fixture.url, callPath(), await signedEnvelope(user, callContent(user.getPrincipal(), now + MINUTE_NANOS, { nonce: new Uint8Array(33) })));
            expect([response.status, response.text]).toEqual([400, 'Nonce in request is too big: got 33 bytes, but at most 32 are allowed.']);
        });

        it('refuses delegation chains longer than 20 and chains with cycles', async () => {
            const keys = Array.from({ length: 22 }, () => Ed25519KeyIdentity.generate());
            let chain: DelegationChain | undefined;
            for (let i = 0; i < 21; i++) {
                chain = await DelegationChain.create(keys[i]!, keys[i + 1]!.getPublicKey(), new Date(Date.now() + 60_000), chain ? { previous: chain } : {});
            }
            const long = DelegationIdentity.fromDelegation(keys[21]!, chain!);
            const tooLong = await post(fixture.url, callPath(), await signedEnvelope(long, callContent(long.getPrincipal(), now + MINUTE_NANOS)));
            expect([tooLong.status, tooLong.text]).toEqual([400, 'Invalid delegation: Chain of delegations is too long: got 21 delegations, but at most 20 are allowed.']);

            const [a, b] = [Ed25519KeyIdentity.generate(), Ed25519KeyIdentity.generate()];
            const ab = await DelegationChain.create(a, b.getPublicKey(), new Date(Date.now() + 60_000));
            const aba = await DelegationChain.create(b, a.getPublicKey(), new Date(Date.now() + 60_000), { previous: ab });
            const cyclic = DelegationIdentity.fromDelegation(a, aba);
            const cycle = await post(fixture.url, callPath(), await signedEnvelope(cyclic, callContent(cyclic.getPrincipal(), now + MINUTE_NANOS)));
            expect(cycle.status).toBe(400);
            expect(cycle.text).toMatch(/^Invalid delegation: Chain of delegations contains at least one cycle: first repeating public key encountered 302a/);
        });

        it('refuses a delegation signed by a key other than the previous one', async () => {
            const [root, session, stranger] = [Ed25519KeyIdentity.generate(), Ed25519KeyIdentity.generate(), Ed25519KeyIdentity.generate()];
            const forged = await DelegationChain.create(stranger, session.getPublicKey(), new Date(Date.now() + 60_000));
            const identity = DelegationIdentity.fromDelegation(session, DelegationChain.fromDelegations(forged.delegations, root.getPublicKey().toDer()));
            const response = await post(fixture.url, callPath(), await signedEnvelope(identity, callContent(identity.getPrincipal(), now + MINUTE_NANOS)));
            expect(response.status).toBe(400);
            expect(response.text).toMatch(/^Invalid delegation: Invalid basic signature: Ed25519 signature could not be verified/);
        });
    });

    describe('effective canister id', () => {
        it('must be the called canister', async () => {
            const other = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
            const response = await post(fixture.url, `/api/v3/canister/${other.toText()}/call`, await signedEnvelope(user, callContent(user.getPrincipal(), now + MINUTE_NANOS)));
            expect([response.status, response.text]).toEqual([
                400,
                `Specified CanisterId ${counterId.toText()} does not match effective canister id in URL ${other.toText()}`
            ]);
        });

        it('must be routable to a subnet', async () => {
            // A user principal is in no subnet's canister ranges.
            const stray = Ed25519KeyIdentity.generate().getPrincipal();
            const response = await post(fixture.url, `/api/v2/canister/${stray.toText()}/read_state`, anonymousEnvelope(readStateContent(Principal.anonymous(), [[label('time')]])));
            expect(response.status).toBe(400);
            expect(response.text).toMatch(/is not in the canister ranges of any subnet/);
        });
    });

    describe('read_state paths', () => {
        const readAs = async (identity: Ed25519KeyIdentity, paths: Uint8Array[][], id = counterId) =>
            post(fixture.url, readStatePath(id), await signedEnvelope(identity, readStateContent(identity.getPrincipal(), paths)));

        it('private metadata only for controllers (403 otherwise); public paths for anyone', async () => {
            const path = [label('canister'), secretId.toUint8Array(), label('metadata'), label('secret')];
            const stranger = await readAs(user, [path], secretId);
            expect([stranger.status, stranger.text]).toEqual([403, 'Custom section secret can only be requested by the controllers of the canister.']);
            expect((await readAs(controller, [path], secretId)).status).toBe(200);
            expect((await readAs(user, [[label('canister'), secretId.toUint8Array(), label('module_hash')]], secretId)).status).toBe(200);
        });

        it('a canister path must name the effective canister (400)', async () => {
            const response = await readAs(user, [[label('canister'), secretId.toUint8Array(), label('controllers')]]);
            expect([response.status, response.text]).toEqual([
                400,
                `Effective principal id in URL ${counterId.toText()} does not match requested principal id: ${secretId.toText()}.`
            ]);
        });

        it('unknown paths are a 404; request ids must have 32 bytes (400)', async () => {
            const unknown = await readAs(user, [[label('canister'), counterId.toUint8Array()]]);
            expect([unknown.status, unknown.text]).toEqual([404, 'Invalid path requested.']);
            const shortId = await readAs(user, [[label('request_status'), new Uint8Array(31)]]);
            expect(shortId.status).toBe(400);
            expect(shortId.text).toMatch(/^Invalid request id in paths/);
        });
    });

    describe('malformed requests (4xx, and the server keeps serving)', () => {
        const cases: [string, Uint8Array, string | RegExp][] = [
            ['an empty body', new Uint8Array(), /^Failed to deserialize cbor request: /],
            ['bytes that are not CBOR', Uint8Array.of(0x1c, 0xff, 0x00), /^Failed to deserialize cbor request: /],
            ['CBOR that is not a map', Cbor.encode([1, 2, 3]), /^Failed to deserialize cbor request: invalid type: array, expected struct HttpRequestEnvelope$/],
            ['an envelope without content', Cbor.encode({ sender_sig: new Uint8Array(1) }), 'Failed to deserialize cbor request: missing field `content`'],
            ['a query sent to /call', anonymousEnvelope({ request_type: 'query' }), 'Failed to deserialize cbor request: unknown variant `query`, expected `call`'],
            ['content missing a field', anonymousEnvelope({ request_type: 'call', canister_id: new Uint8Array(10) }), /^Failed to deserialize cbor request: missing field `/],
            ['a truncated map', Uint8Array.of(0xa3, 0x61, 0x61), /^Failed to deserialize cbor request: /],
            ['nesting too deep to decode', Uint8Array.from([0xa1, 0x67, ...new TextEncoder().encode('content'), ...new Array(100_000).fill(0x81), 0]), /^Failed to deserialize cbor request: /]
        ];

        it.each(cases)('%s', async (_name, body, message) => {
            const response = await post(fixture.url, callPath(), body);
            expect(response.status).toBe(400);
            expect(response.text).toMatch(message);
        });

        it('a body that is not application/cbor', async () => {
            const response = await post(fixture.url, callPath(), new Uint8Array(1), 'application/json');
            expect([response.status, response.text]).toEqual([400, 'Unexpected content-type, expected application/cbor.']);
        });

        it('an effective canister id that is not a principal', async () => {
            const response = await post(fixture.url, '/api/v2/canister/not-a-principal/query', anonymousEnvelope({}));
            expect(response.status).toBe(400);
            expect(response.text).toMatch(/^Invalid URL: /);
        });

        it('unknown API routes are 404, other paths are declined, GET on a POST route is 405', async () => {
            expect((await fetch(new URL('/api/v1/status', fixture.url))).status).toBe(404);
            expect((await fetch(new URL('/api/v2/canister/aaaaa-aa/query', fixture.url))).status).toBe(405);
            expect((await fetch(new URL('/other', fixture.url))).status).toBe(404);
            const status = await fetch(new URL('/api/v2/status', fixture.url));
            expect([status.status, status.headers.get('content-type')]).toEqual([200, 'application/cbor']);
        });
    });
});

describe('without an instance', () => {
    it('answers 503 with a clear message', async () => {
        const handler = createIcHttpHandler(() => undefined);
        const server = await serveOnLoopback((request, response) => void handler(request, response));
        const response = await fetch(`${server.url}/api/v2/status`);
        expect([response.status, await response.text()]).toEqual([
            503,
            'No localnet instance is available to serve the IC HTTP interface: create an instance first.'
        ]);
        await server.close();
    });
});
