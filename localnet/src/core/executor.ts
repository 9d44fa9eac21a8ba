/**
 * Runs one piece of canister code (an entry point or a callback) as a transaction over the
 * canister's memories and system state. `finish` decides what happens afterwards: commit (updates,
 * callbacks, timers), rollback (queries: their changes never persist), or defer (install flows and
 * composite queries, which commit or roll back several executions together).
 */
import type { Principal } from '@icp-sdk/core/principal';
import type { CanisterTrap } from './canisterTrap';
import type { CanisterState } from './canisterState';
import type { ContextKind } from './executionContext';
import type { ExecutionEntry, InstalledModule } from './installedModule';
import { MessageExecution, type MessageInput } from './messageExecution';

export interface NetworkFacts {
    readonly time: bigint;
    readonly rootKey: Uint8Array;
    debugPrint(canister: Principal, message: string): void;
}

export interface ExecuteRequest extends MessageInput {
    readonly context: ContextKind;
    readonly entry: ExecutionEntry;
    readonly limit: bigint;
    readonly finish: 'commit' | 'rollback' | 'defer';
    readonly callContextInstructions?: bigint;
    readonly dataCertificate?: () => Uint8Array;
}

export interface ExecuteResult {
    readonly execution: MessageExecution;
    readonly trap?: CanisterTrap;
    readonly instructions: bigint;
}

/** Starts the canister's transaction if none is open (stable memory records undo data from here). */
export function beginTransaction(canister: CanisterState): void {
    if (!canister.inTransaction) {
        canister.stable.begin();
        canister.inTransaction = true;
    }
}

export function commitTransaction(canister: CanisterState, module: InstalledModule): void {
    module.runtime.commit();
    canister.stable.commit();
    canister.inTransaction = false;
}

export function rollbackTransaction(canister: CanisterState, module: InstalledModule): void {
    module.runtime.rollback();
    canister.stable.rollback();
    canister.inTransaction = false;
}

/** Applies what a committed execution changed outside the memories. */
export function applyEffects(canister: CanisterState, execution: MessageExecution): void {
    if (execution.certifiedData !== undefined) canister.certifiedData = execution.certifiedData;
    canister.globalTimer = execution.globalTimer;
    canister.cycles += execution.balance - execution.env.balance;
}

export function execute(canister: CanisterState, module: InstalledModule, request: ExecuteRequest, facts: NetworkFacts): ExecuteResult {
    const execution = new MessageExecution(
        request.context,
        {
            canisterId: canister.id,
            subnetId: canister.subnetId,
            controllers: canister.settings.controllers,
            status: canister.status,
            version: canister.version,
            time: facts.time,
            rootKey: facts.rootKey,
            environmentVariables: canister.settings.environmentVariables,
            balance: canister.cycles,
            globalTimer: canister.globalTimer,
            callContextInstructions: request.callContextInstructions ?? 0n,
            ...(request.dataCertificate ? { dataCertificate: request.dataCertificate } : {}),
            debugPrint: (message) => facts.debugPrint(canister.id, message)
        },
        request
    );

    beginTransaction(canister);
    module.current = execution;
    let outcome;
    try {
        outcome = module.run(request.entry, request.limit);
    } finally {
        module.current = undefined;
    }

    if (outcome.trap) {
        rollbackTransaction(canister, module);
        return { execution, trap: outcome.trap, instructions: outcome.instructions };
    }
    if (request.finish === 'commit') {
        commitTransaction(canister, module);
        applyEffects(canister, execution);
    } else if (request.finish === 'rollback') {
        rollbackTransaction(canister, module);
    }
    return { execution, instructions: outcome.instructions };
}
