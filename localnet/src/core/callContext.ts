/**
 * Call contexts and callbacks (interface specification, "Call contexts"). A call context is opened
 * by an incoming call and stays open until answered and all its outgoing calls have returned.
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { CallbackRef } from './messageExecution';

export type CallOrigin =
    | { readonly kind: 'ingress'; readonly messageId: string }
    | { readonly kind: 'canister'; readonly caller: Principal; readonly callbackId: number }
    /** Timers, heartbeats and the install-time entry points answer nobody. */
    | { readonly kind: 'system' };

export interface CallContext {
    readonly id: number;
    readonly origin: CallOrigin;
    readonly caller: Principal;
    /** Cycles sent with the call and not yet accepted. */
    availableCycles: bigint;
    replied: boolean;
    outstandingCalls: number;
    instructions: bigint;
    readonly deadline: bigint;
}

export interface Callback {
    readonly id: number;
    readonly callContextId: number;
    readonly callee: Principal;
    readonly onReply: CallbackRef;
    readonly onReject: CallbackRef;
    readonly onCleanup?: CallbackRef;
    readonly cyclesSent: bigint;
    readonly deadline: bigint;
}
