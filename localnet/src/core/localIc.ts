/**
 * The contract between the execution core (src/core) and its front ends (the PocketIC REST server
 * in src/rest, later the IC HTTP interface and gateway). Front ends translate wire formats into
 * these calls and never touch canister state directly.
 */
import type { Principal } from '@icp-sdk/core/principal';

/** IC reject codes (interface specification, "Reject codes"). */
export const RejectCode = {
    SysFatal: 1,
    SysTransient: 2,
    DestinationInvalid: 3,
    CanisterReject: 4,
    CanisterError: 5,
    SysUnknown: 6
} as const;
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

export type CallOutcome =
    | { readonly kind: 'reply'; readonly bytes: Uint8Array }
    | {
          readonly kind: 'reject';
          readonly rejectCode: RejectCode;
          readonly message: string;
          /** The replica's error code, e.g. "IC0503" (canister trapped), "IC0536" (method not found). */
          readonly errorCode: string;
          /** Whether the outcome went through consensus (updates) or not (queries). */
          readonly certified: boolean;
      };

export type SubmitResult =
    | { readonly kind: 'accepted'; readonly messageId: Uint8Array; readonly effectivePrincipal: EffectivePrincipal }
    | { readonly kind: 'rejected'; readonly outcome: Extract<CallOutcome, { kind: 'reject' }> };

export type EffectivePrincipal =
    | { readonly kind: 'none' }
    | { readonly kind: 'canister'; readonly id: Principal }
    | { readonly kind: 'subnet'; readonly id: Principal };

export interface CanisterCall {
    readonly sender: Principal;
    readonly canisterId: Principal;
    readonly method: string;
    readonly arg: Uint8Array;
    readonly effectivePrincipal?: EffectivePrincipal;
}

export type SubnetKind = 'Application' | 'Bitcoin' | 'Fiduciary' | 'II' | 'NNS' | 'SNS' | 'System';

export interface SubnetInfo {
    readonly id: Principal;
    readonly kind: SubnetKind;
    /** Inclusive canister-id ranges the subnet allocates from and routes. */
    readonly canisterRanges: readonly { readonly start: Principal; readonly end: Principal }[];
    readonly nodeIds: readonly Principal[];
    /** DER-encoded BLS public key of the subnet (the instance root key for a single-subnet instance). */
    readonly publicKey: Uint8Array;
}

export interface Topology {
    readonly subnets: readonly SubnetInfo[];
    readonly defaultEffectiveCanisterId: Principal;
}

/** Failures of the instance API itself (not canister rejects), mapped to HTTP 4xx by front ends. */
export class LocalIcError extends Error {
    override name = 'LocalIcError';
    constructor(
        readonly code: 'CanisterNotFound' | 'SubnetNotFound' | 'MessageNotFound' | 'BadRequest' | 'Forbidden' | 'Timeout',
        message: string
    ) {
        super(message);
    }
}

export interface LocalIc {
    topology(): Topology;
    /** Current time, nanoseconds since the Unix epoch. */
    time(): Promise<bigint>;
    setTime(nanos: bigint): Promise<void>;
    setCertifiedTime(nanos: bigint): Promise<void>;
    /** Executes one round: due timers, heartbeats, queued messages. */
    tick(): Promise<void>;
    subnetOf(canisterId: Principal): Principal | undefined;
    controllersOf(canisterId: Principal): Promise<Principal[]>;
    cyclesOf(canisterId: Principal): Promise<bigint>;
    addCycles(canisterId: Principal, amount: bigint): Promise<bigint>;
    stableMemoryOf(canisterId: Principal): Promise<Uint8Array>;
    setStableMemory(canisterId: Principal, bytes: Uint8Array): Promise<void>;
    /** Non-replicated query: state changes are discarded. */
    query(call: CanisterCall): Promise<CallOutcome>;
    /**
     * Queues an ingress update; the returned id identifies it for await/ingressStatus. A message the
     * canister refuses in canister_inspect_message (or that cannot be routed) is rejected here.
     */
    submit(call: CanisterCall): Promise<SubmitResult>;
    /** Executes rounds until the message completes. */
    awaitIngress(messageId: Uint8Array): Promise<CallOutcome>;
    /** The outcome if the message completed, undefined while pending; `caller` must match the sender when given. */
    ingressStatus(messageId: Uint8Array, caller?: Principal): Promise<CallOutcome | undefined>;
    /** Time follows the wall clock and rounds run continuously until stopProgress(). */
    autoProgress(options?: { artificialDelayMs?: number }): Promise<void>;
    stopProgress(): Promise<void>;
    isAutoProgressing(): boolean;
    dispose(): Promise<void>;
}

export interface LocalIcConfig {
    /** Subnets to create, exactly these; one application subnet when none is given. */
    readonly subnets?: readonly { readonly kind: SubnetKind }[];
    /** Initial time, nanoseconds; defaults to the wall clock. */
    readonly initialTimeNanos?: bigint;
}

export type CreateLocalIc = (config: LocalIcConfig) => Promise<LocalIc>;
