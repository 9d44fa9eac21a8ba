/**
 * TEST DOUBLE for the REST protocol tests only: an in-memory stand-in for the LocalIc contract
 * that executes no wasm. Canisters are plain records; their "methods" are:
 *   echo          replies with the argument
 *   whoami        replies with the caller's principal bytes
 *   trap          rejects like a canister that called ic0.trap (IC0503)
 *   core-bug      throws a plain Error, like a defect in the core
 * The management canister only understands provisional_create_canister_with_cycles.
 * End-to-end behaviour is tested by the lead against the real core, not with this.
 */
import { createHash } from 'node:crypto';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import type {
    CallOutcome,
    CanisterCall,
    CreateLocalIc,
    EffectivePrincipal,
    LocalIc,
    LocalIcConfig,
    SubmitResult,
    SubnetInfo,
    Topology
} from '../../../src/core/localIc';
import { LocalIcError, RejectCode } from '../../../src/core/localIc';

interface FakeCanister {
    cycles: bigint;
    controllers: Principal[];
    stable: Uint8Array;
    readonly subnet: Principal;
}

interface Message {
    readonly call: CanisterCall;
    outcome?: CallOutcome;
}

const MANAGEMENT = Principal.fromText('aaaaa-aa');

/** Canister ids as in PocketIC: 8-byte big-endian index followed by 0x01 0x01. */
function canisterId(index: number): Principal {
    const bytes = new Uint8Array(10);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(index));
    bytes[8] = 1;
    bytes[9] = 1;
    return Principal.fromUint8Array(bytes);
}

function subnetId(index: number): Principal {
    return Principal.fromUint8Array(createHash('sha256').update(`subnet-${index}`).digest().subarray(0, 29));
}

export class ProtocolTestDoubleIc implements LocalIc {
    readonly log: string[] = [];
    disposed = false;
    autoProgressOptions: { artificialDelayMs?: number } | undefined;
    /** Milliseconds tick() takes, to observe request serialization. */
    /** When set, a tick waits for it to resolve (tests hold a tick in progress with holdTicks). */
    #tickGate: Promise<void> | undefined;
    #onTickStart: (() => void) | undefined;

    private readonly subnets: SubnetInfo[];
    private readonly canisters = new Map<string, FakeCanister>();
    private readonly messages = new Map<string, Message>();
    private nextCanister: number[];
    private nextMessage = 0;
    private now: bigint;

    constructor(readonly config: LocalIcConfig) {
        const kinds = config.subnets?.length ? config.subnets : [{ kind: 'Application' as const }];
        this.subnets = kinds.map(({ kind }, index) => ({
            id: subnetId(index),
            kind,
            canisterRanges: [{ start: canisterId(index * 1_000_000), end: canisterId(index * 1_000_000 + 999_999) }],
            nodeIds: [Principal.fromUint8Array(new Uint8Array([index, 0xfe]))],
            publicKey: new Uint8Array([0x30, 0x81, 0x82, index])
        }));
        this.nextCanister = this.subnets.map((_, index) => index * 1_000_000);
        this.now = config.initialTimeNanos ?? 1_700_000_000_000_000_000n;
    }

    topology(): Topology {
        const app = this.subnets.findIndex((subnet) => subnet.kind === 'Application');
        return { subnets: this.subnets, defaultEffectiveCanisterId: canisterId(Math.max(app, 0) * 1_000_000) };
    }

    async time(): Promise<bigint> {
        this.log.push('time');
        return this.now;
    }
    async setTime(nanos: bigint): Promise<void> {
        this.now = nanos;
    }
    async setCertifiedTime(nanos: bigint): Promise<void> {
        this.now = nanos;
    }
    async tick(): Promise<void> {
        this.log.push('tick:start');
        this.#onTickStart?.();
        if (this.#tickGate) await this.#tickGate;
        for (const message of this.messages.values()) message.outcome ??= this.execute(message.call);
        this.log.push('tick:end');
    }

    /** Holds every tick until `release()`; `started` resolves when a tick has begun. */
    holdTicks(): { started: Promise<void>; release(): void } {
        let release!: () => void;
        this.#tickGate = new Promise<void>((resolve) => (release = resolve));
        const started = new Promise<void>((resolve) => (this.#onTickStart = resolve));
        return { started, release };
    }

    subnetOf(id: Principal): Principal | undefined {
        return this.canisters.get(id.toText())?.subnet;
    }
    async controllersOf(id: Principal): Promise<Principal[]> {
        return this.canister(id).controllers;
    }
    async cyclesOf(id: Principal): Promise<bigint> {
        return this.canister(id).cycles;
    }
    async addCycles(id: Principal, amount: bigint): Promise<bigint> {
        const canister = this.canister(id);
        canister.cycles += amount;
        return canister.cycles;
    }
    async stableMemoryOf(id: Principal): Promise<Uint8Array> {
        return this.canister(id).stable;
    }
    async setStableMemory(id: Principal, bytes: Uint8Array): Promise<void> {
        this.canister(id).stable = bytes;
    }

    async query(call: CanisterCall): Promise<CallOutcome> {
        return this.execute(call, false);
    }
    async submit(call: CanisterCall): Promise<SubmitResult> {
        if (call.canisterId.toText() !== MANAGEMENT.toText() && !this.canisters.has(call.canisterId.toText())) {
            const message = `Canister ${call.canisterId.toText()} not found`;
            return { kind: 'rejected', outcome: { kind: 'reject', rejectCode: RejectCode.DestinationInvalid, message, errorCode: 'IC0301', certified: false } };
        }
        const messageId = createHash('sha256').update(`message-${this.nextMessage++}`).digest();
        this.messages.set(messageId.toString('hex'), { call });
        const effectivePrincipal: EffectivePrincipal =
            call.canisterId.toText() === MANAGEMENT.toText()
                ? { kind: 'subnet', id: (this.subnets[0] as SubnetInfo).id }
                : { kind: 'canister', id: call.canisterId };
        return { kind: 'accepted', messageId: new Uint8Array(messageId), effectivePrincipal };
    }
    async awaitIngress(messageId: Uint8Array): Promise<CallOutcome> {
        const message = this.message(messageId);
        message.outcome ??= this.execute(message.call);
        return message.outcome;
    }
    async ingressStatus(messageId: Uint8Array, caller?: Principal): Promise<CallOutcome | undefined> {
        const message = this.message(messageId);
        if (caller && message.outcome && caller.toText() !== message.call.sender.toText()) {
            throw new LocalIcError('Forbidden', 'the caller is not the sender of the message');
        }
        return message.outcome;
    }

    async autoProgress(options?: { artificialDelayMs?: number }): Promise<void> {
        this.autoProgressOptions = options ?? {};
    }
    async stopProgress(): Promise<void> {
        this.autoProgressOptions = undefined;
    }
    isAutoProgressing(): boolean {
        return this.autoProgressOptions !== undefined;
    }
    async dispose(): Promise<void> {
        this.disposed = true;
    }

    /** Installs a canister directly, for tests that need one without going through calls. */
    addCanister(controllers: Principal[] = []): Principal {
        const id = canisterId((this.nextCanister[0] as number)++);
        this.canisters.set(id.toText(), { cycles: 0n, controllers, stable: new Uint8Array(), subnet: (this.subnets[0] as SubnetInfo).id });
        return id;
    }

    private canister(id: Principal): FakeCanister {
        const canister = this.canisters.get(id.toText());
        if (!canister) throw new LocalIcError('CanisterNotFound', `Canister ${id.toText()} not found`);
        return canister;
    }

    private message(messageId: Uint8Array): Message {
        const message = this.messages.get(Buffer.from(messageId).toString('hex'));
        if (!message) throw new LocalIcError('MessageNotFound', 'unknown message id');
        return message;
    }

    private execute(call: CanisterCall, certified = true): CallOutcome {
        if (call.canisterId.toText() === MANAGEMENT.toText()) return this.executeManagement(call);
        this.canister(call.canisterId);
        switch (call.method) {
            case 'echo':
                return { kind: 'reply', bytes: call.arg };
            case 'whoami':
                return { kind: 'reply', bytes: call.sender.toUint8Array() };
            case 'trap':
                return {
                    kind: 'reject',
                    rejectCode: RejectCode.CanisterError,
                    message: `Error from Canister ${call.canisterId.toText()}: Canister called \`ic0.trap\` with message: 'it's a trap'`,
                    errorCode: 'IC0503',
                    certified
                };
            case 'core-bug':
                throw new Error('simulated defect in the core');
            default:
                return {
                    kind: 'reject',
                    rejectCode: RejectCode.CanisterError,
                    message: `Canister has no method '${call.method}'`,
                    errorCode: 'IC0536',
                    certified
                };
        }
    }

    private executeManagement(call: CanisterCall): CallOutcome {
        if (call.method !== 'provisional_create_canister_with_cycles') {
            return { kind: 'reject', rejectCode: RejectCode.CanisterReject, message: `unsupported: ${call.method}`, errorCode: 'IC0407', certified: true };
        }
        const id = this.addCanister([call.sender]);
        const reply = IDL.encode([IDL.Record({ canister_id: IDL.Principal })], [{ canister_id: id }]);
        return { kind: 'reply', bytes: new Uint8Array(reply) };
    }
}

/** A CreateLocalIc that remembers every double it made, for assertions. */
export function protocolTestDoubleFactory(): CreateLocalIc & { readonly created: ProtocolTestDoubleIc[] } {
    const created: ProtocolTestDoubleIc[] = [];
    const factory = async (config: LocalIcConfig) => {
        const ic = new ProtocolTestDoubleIc(config);
        created.push(ic);
        return ic;
    };
    return Object.assign(factory, { created });
}
