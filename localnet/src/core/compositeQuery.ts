/**
 * Non-replicated query execution, plain and composite. A composite query may call query methods
 * of canisters on its own subnet; the whole call graph runs synchronously, depth first, and every
 * canister it touched is rolled back at the end, so nothing a query does ever persists.
 */
import type { Principal } from '@icp-sdk/core/principal';
import { concatBytes } from '@noble/hashes/utils';
import type { CanisterState } from './canisterState';
import type { ExecutionEntry } from './installedModule';
import { execute, rollbackTransaction, type ExecuteResult, type NetworkFacts } from './executor';
import { canisterEmpty, canisterNotFound, canisterStopped, didNotReply, ErrorCode, methodNotFound, reject, type Reject } from './icErrors';
import { RejectCode, type CallOutcome } from './localIc';
import type { MessageExecution } from './messageExecution';

/** The IC's maximum depth of a composite query call graph. */
export const MAX_QUERY_CALL_DEPTH = 6;

export interface QueryHost {
    canister(id: Principal): CanisterState | undefined;
    facts(): NetworkFacts;
    /** The data_certificate provider for a canister (certificates are per subnet state). */
    dataCertificate(canister: CanisterState): () => Uint8Array;
    readonly limit: bigint;
    onExecution?(event: { canisterId: Principal; entry: string; instructions: bigint; trapped: boolean }): void;
}

function nonReplicated(outcome: Reject): Reject {
    return { ...outcome, certified: false };
}

export function runCompositeQuery(host: QueryHost, target: Principal, method: string, arg: Uint8Array, caller: Principal): CallOutcome {
    const touched = new Set<CanisterState>();
    try {
        return callQuery(host, touched, target, method, arg, caller, 0, undefined);
    } finally {
        for (const canister of touched) {
            if (canister.module) rollbackTransaction(canister, canister.module);
        }
    }
}

function callQuery(
    host: QueryHost,
    touched: Set<CanisterState>,
    target: Principal,
    method: string,
    arg: Uint8Array,
    caller: Principal,
    depth: number,
    callerSubnet: Principal | undefined
): CallOutcome {
    const canister = host.canister(target);
    if (!canister) return nonReplicated(canisterNotFound(target));
    if (callerSubnet && canister.subnetId.toText() !== callerSubnet.toText()) {
        return nonReplicated(
            reject(RejectCode.CanisterError, ErrorCode.CanisterRejectedMessage, `Composite query cannot be used to call canister ${target.toText()} on a different subnet.`)
        );
    }
    if (canister.status !== 'running') return nonReplicated(canisterStopped(canister.id, canister.status === 'stopping'));
    const module = canister.module;
    if (!module) return nonReplicated(canisterEmpty(canister.id));
    const { description } = module;
    const composite = description.compositeQueryMethods.has(method);
    if (!composite && !description.queryMethods.has(method)) {
        if (description.updateMethods.has(method) && depth > 0) {
            return nonReplicated(reject(RejectCode.CanisterError, ErrorCode.CanisterContractViolation, `Composite query cannot call update method '${method}' of canister ${target.toText()}.`));
        }
        return nonReplicated(methodNotFound(canister.id, 'query', method));
    }
    if (composite && depth >= MAX_QUERY_CALL_DEPTH) {
        return nonReplicated(reject(RejectCode.CanisterError, 'IC0525', `Composite query call graph exceeds the maximum depth of ${MAX_QUERY_CALL_DEPTH}.`));
    }

    touched.add(canister);
    const run = (context: 'NRQ' | 'CQ' | 'CRy' | 'CRt' | 'CC', entry: ExecutionEntry, extra: Partial<Parameters<typeof execute>[2]> = {}): ExecuteResult => {
        const result = execute(
            canister,
            module,
            {
                context,
                entry,
                caller,
                limit: host.limit,
                finish: 'defer',
                dataCertificate: host.dataCertificate(canister),
                ...extra
            },
            host.facts()
        );
        host.onExecution?.({
            canisterId: canister.id,
            entry: entry.kind === 'export' ? entry.name : `${context} callback`,
            instructions: result.instructions,
            trapped: result.trap !== undefined
        });
        return result;
    };

    const first = run(composite ? 'CQ' : 'NRQ', { kind: 'export', name: `${composite ? 'canister_composite_query' : 'canister_query'} ${method}` }, { arg });
    let response: CallOutcome | undefined;
    let failure: CallOutcome | undefined;

    const settle = (result: ExecuteResult): MessageExecution | undefined => {
        if (result.trap) {
            failure ??= nonReplicated(reject(RejectCode.CanisterError, result.trap.errorCode, `Error from Canister ${canister.id.toText()}: ${result.trap.message}`));
            return undefined;
        }
        const r = result.execution.response;
        if (r && !response) {
            response = r.kind === 'reply' ? { kind: 'reply', bytes: r.bytes } : nonReplicated(reject(RejectCode.CanisterReject, ErrorCode.CanisterRejectedMessage, r.message));
        }
        return result.execution;
    };

    const pending = [...(settle(first)?.outgoingCalls ?? [])];
    while (pending.length > 0) {
        const call = pending.shift()!;
        const outcome = callQuery(host, touched, call.callee, call.method, concatBytes(...call.arg), canister.id, depth + 1, canister.subnetId);
        const isReply = outcome.kind === 'reply';
        const ref = isReply ? call.onReply : call.onReject;
        const result = run(isReply ? 'CRy' : 'CRt', { kind: 'callback', fn: ref.fn, env: ref.env }, {
            alreadyResponded: response !== undefined,
            ...(outcome.kind === 'reply' ? { arg: outcome.bytes, rejectCode: 0 } : { rejectCode: outcome.rejectCode, rejectMessage: outcome.message })
        });
        if (result.trap && call.onCleanup) {
            run('CC', { kind: 'callback', fn: call.onCleanup.fn, env: call.onCleanup.env }, { rejectCode: isReply ? 0 : outcome.kind === 'reject' ? outcome.rejectCode : 0 });
        }
        const execution = settle(result);
        if (execution) pending.push(...execution.outgoingCalls);
    }
    return response ?? failure ?? nonReplicated(didNotReply(canister.id));
}
