/**
 * Everything one message execution may read or change through the system API. The executor
 * creates one per message; effects are buffered here and applied to the canister only if the
 * message commits, which is how a trap discards them.
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { ContextKind } from './executionContext';

export interface CallbackRef {
    readonly fn: number;
    readonly env: number;
}

export interface OutgoingCall {
    readonly callee: Principal;
    readonly method: string;
    arg: Uint8Array[];
    cycles: bigint;
    readonly onReply: CallbackRef;
    readonly onReject: CallbackRef;
    onCleanup?: CallbackRef;
    timeoutSeconds?: number;
}

export type Response = { readonly kind: 'reply'; readonly bytes: Uint8Array } | { readonly kind: 'reject'; readonly message: string };

/** The canister facts and hooks the system API needs, provided by the executor. */
export interface ExecutionEnvironment {
    readonly canisterId: Principal;
    readonly subnetId: Principal;
    readonly controllers: readonly Principal[];
    readonly status: 'running' | 'stopping' | 'stopped';
    readonly version: bigint;
    readonly time: bigint;
    readonly rootKey: Uint8Array;
    readonly environmentVariables: ReadonlyMap<string, string>;
    /** Balance at the start of the message. */
    readonly balance: bigint;
    /** Timer value at the start of the message. */
    readonly globalTimer: bigint;
    /** The certificate for data_certificate_*, built lazily (non-replicated queries only). */
    readonly dataCertificate?: () => Uint8Array;
    /** Instructions already spent by earlier messages of the same call context. */
    readonly callContextInstructions: bigint;
    debugPrint(message: string): void;
}

/** What the message brings into an execution: the caller, the argument or the reply/reject. */
export interface MessageInput {
    readonly caller: Principal;
    readonly arg?: Uint8Array;
    readonly methodName?: string;
    readonly rejectCode?: number;
    readonly rejectMessage?: string;
    readonly refundedCycles?: bigint;
    readonly availableCycles?: bigint;
    readonly deadline?: bigint;
    readonly alreadyResponded?: boolean;
}

export class MessageExecution {
    /** Reply data appended so far. */
    replyChunks: Uint8Array[] = [];
    replySize = 0;
    response: Response | undefined;
    /** Set when the call context was already answered before this message began. */
    readonly alreadyResponded: boolean;
    pendingCall: OutgoingCall | undefined;
    readonly outgoingCalls: OutgoingCall[] = [];
    certifiedData: Uint8Array | undefined;
    globalTimer: bigint;
    balance: bigint;
    /** Cycles still available in the incoming call (U, RQ, Ry, Rt). */
    availableCycles: bigint;
    acceptedCycles = 0n;
    burnedCycles = 0n;
    messageAccepted = false;

    constructor(
        readonly context: ContextKind,
        readonly env: ExecutionEnvironment,
        readonly input: MessageInput
    ) {
        this.alreadyResponded = input.alreadyResponded ?? false;
        this.globalTimer = env.globalTimer;
        this.balance = env.balance;
        this.availableCycles = input.availableCycles ?? 0n;
    }

    get canRespond(): boolean {
        return !this.alreadyResponded && this.response === undefined;
    }
}
