/**
 * One local IC instance: subnets, canisters, the message scheduler, ingress history, time and
 * certified state. Execution is deterministic and single-threaded: a round runs due timers and
 * heartbeats, then delivers every message queued before the round started; messages produced
 * during a round (calls, responses) wait for the next one, as inter-canister messages do on the IC.
 */
import { Principal } from '@icp-sdk/core/principal';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, concatBytes } from '@noble/hashes/utils';
import { randomBytes } from 'node:crypto';
import type { RequestStatusInput } from '../certification/stateTree';
import { canisterIdFromNumber, canisterIdToNumber } from './canisterIds';
import type { CallContext, CallOrigin } from './callContext';
import { defaultSettings, type CanisterState } from './canisterState';
import { CanisterState as Canister } from './canisterState';
import { runCompositeQuery } from './compositeQuery';
import { execute, type ExecuteResult, type NetworkFacts } from './executor';
import {
    canisterEmpty,
    canisterNotFound,
    canisterStopped,
    didNotReply,
    ErrorCode,
    methodNotFound,
    reject,
    type Reject
} from './icErrors';
import {
    LocalIcError,
    RejectCode,
    type CallOutcome,
    type CanisterCall,
    type EffectivePrincipal,
    type LocalIc,
    type LocalIcConfig,
    type SubmitResult,
    type Topology
} from './localIc';
import { MANAGEMENT_CANISTER_ID, ManagementCanister, type ManagementHost } from './managementCanister';
import { StateCertifier } from './stateCertifier';
import { createSubnets, subnetInfo, subnetOfCanisterId, type Subnet } from './subnetTopology';

/** IC instruction limits per message kind. */
export const UPDATE_INSTRUCTION_LIMIT = 40_000_000_000n;
export const QUERY_INSTRUCTION_LIMIT = 5_000_000_000n;
export const INSPECT_MESSAGE_INSTRUCTION_LIMIT = 200_000_000n;
/** Completed ingress messages are forgotten after this long, as the replica prunes its history. */
export const INGRESS_HISTORY_NANOS = 5n * 60n * 1_000_000_000n;
/** Idle rounds refresh the certified time at most this often. */
export const IDLE_CERTIFICATION_INTERVAL_NANOS = 1_000_000_000n;
/** awaitIngress gives up after this many rounds in which nothing was left to run. */
const MAX_IDLE_ROUNDS = 3;
const MAX_ROUNDS_PER_AWAIT = 100_000;

type Task =
    | {
          readonly kind: 'call';
          readonly target: Principal;
          readonly method: string;
          readonly arg: Uint8Array;
          readonly caller: Principal;
          readonly cycles: bigint;
          readonly origin: CallOrigin;
          readonly deadline: bigint;
          readonly effectivePrincipal?: EffectivePrincipal;
      }
    | {
          readonly kind: 'response';
          readonly target: Principal;
          readonly callbackId: number;
          readonly outcome: CallOutcome;
          readonly refund: bigint;
      };

interface IngressRecord {
    readonly sender: Principal;
    readonly requestId: Uint8Array;
    outcome?: CallOutcome;
    /** Instance time when the outcome was recorded (for pruning the history). */
    completedAt?: bigint;
}

/** One finished execution, for benchmarks and diagnostics. */
export interface ExecutionEvent {
    readonly canisterId: Principal;
    /** The entry point: `canister_update m`, `canister_query m`, a callback, a timer... */
    readonly entry: string;
    readonly instructions: bigint;
    readonly trapped: boolean;
}

export interface NetworkOptions extends LocalIcConfig {
    /** Where canister debug_print output goes; defaults to stderr. */
    readonly log?: (line: string) => void;
    /** Called after every replicated execution (updates, callbacks, timers) and every query. */
    readonly onExecution?: (event: ExecutionEvent) => void;
}

export class LocalNetwork implements LocalIc {
    readonly subnets: Subnet[];
    readonly rootSubnet: Subnet;
    readonly #canisters = new Map<string, CanisterState>();
    readonly #deleted = new Set<string>();
    #queue: Task[] = [];
    readonly #ingress = new Map<string, IngressRecord>();
    #time: bigint;
    #certifiedTime: bigint;
    #nextCallContext = 1;
    #nextCallback = 1;
    #messageCounter = 0n;
    readonly #certifier: StateCertifier;
    readonly #management: ManagementCanister;
    readonly #log: (line: string) => void;
    readonly #onExecution: ((event: ExecutionEvent) => void) | undefined;
    #autoProgress: { timer: NodeJS.Timeout } | undefined;
    /** Bumped by every round: lets callers see that state moved on. */
    round = 0;

    constructor(options: NetworkOptions = {}) {
        this.subnets = createSubnets(options.subnets?.map((s) => s.kind) ?? []);
        this.rootSubnet = this.subnets.find((s) => s.kind === 'NNS') ?? this.subnets[0]!;
        this.#time = options.initialTimeNanos ?? BigInt(Date.now()) * 1_000_000n;
        this.#certifiedTime = this.#time;
        this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
        this.#onExecution = options.onExecution;
        this.#certifier = new StateCertifier({
            subnets: this.subnets,
            rootSubnet: this.rootSubnet,
            certifiedTime: () => this.#certifiedTime,
            canistersOf: (subnet) => [...this.#canisters.values()].filter((c) => c.subnetId === subnet.id),
            requestStatuses: () => this.#requestStatuses()
        });
        this.#management = new ManagementCanister(this.#managementHost());
    }

    // ---- LocalIc: topology, time, cycles, stable memory -------------------------------------

    topology(): Topology {
        const preferred = this.subnets.find((s) => s.kind === 'Application') ?? this.subnets[0]!;
        return { subnets: this.subnets.map(subnetInfo), defaultEffectiveCanisterId: canisterIdFromNumber(preferred.rangeStart) };
    }

    get rootKey(): Uint8Array {
        return this.rootSubnet.publicKeyDer;
    }

    async time(): Promise<bigint> {
        return this.#time;
    }

    async setTime(nanos: bigint): Promise<void> {
        if (nanos < this.#time) throw new LocalIcError('BadRequest', 'Time cannot go backwards');
        this.#time = nanos;
    }

    async setCertifiedTime(nanos: bigint): Promise<void> {
        await this.setTime(nanos);
        this.#certifiedTime = nanos;
        this.#certifier.invalidate();
    }

    async tick(): Promise<void> {
        this.runRound();
    }

    subnetOf(canisterId: Principal): Principal | undefined {
        return this.#canisters.get(canisterId.toText())?.subnetId ?? subnetOfCanisterId(this.subnets, canisterId)?.id;
    }

    async controllersOf(canisterId: Principal): Promise<Principal[]> {
        return [...this.#mustGet(canisterId).settings.controllers];
    }

    async cyclesOf(canisterId: Principal): Promise<bigint> {
        return this.#mustGet(canisterId).cycles;
    }

    async addCycles(canisterId: Principal, amount: bigint): Promise<bigint> {
        const canister = this.#mustGet(canisterId);
        if (amount < 0n) throw new LocalIcError('BadRequest', 'amount must not be negative');
        canister.cycles += amount;
        return canister.cycles;
    }

    async stableMemoryOf(canisterId: Principal): Promise<Uint8Array> {
        return this.#mustGet(canisterId).stable.snapshot();
    }

    async setStableMemory(canisterId: Principal, bytes: Uint8Array): Promise<void> {
        this.#mustGet(canisterId).stable.replace(bytes);
    }

    /** Canister state, for the IC HTTP interface and tests. */
    canister(id: Principal): CanisterState | undefined {
        return this.#canisters.get(id.toText());
    }

    get certifiedTime(): bigint {
        return this.#certifiedTime;
    }

    /** The certified state of a subnet (for read_state and data certificates). */
    certifiedState(subnet: Subnet) {
        return this.#certifier.stateOf(subnet);
    }

    subnetById(id: Principal): Subnet | undefined {
        return this.subnets.find((s) => s.id.toText() === id.toText());
    }

    // ---- LocalIc: calls ---------------------------------------------------------------------

    async query(call: CanisterCall): Promise<CallOutcome> {
        return this.queryNow(call);
    }

    /** Executes a non-replicated query against the latest state; all its changes are discarded. */
    queryNow(call: CanisterCall): CallOutcome {
        const nonReplicated = (outcome: Reject): Reject => ({ ...outcome, certified: false });
        if (call.canisterId.toText() === MANAGEMENT_CANISTER_ID.toText()) {
            return nonReplicated(methodNotFound(call.canisterId, 'query', call.method));
        }
        return runCompositeQuery(
            {
                canister: (id) => this.#canisters.get(id.toText()),
                facts: () => this.#facts(),
                dataCertificate: (canister) => () => this.#certifier.dataCertificate(this.#subnetOfCanister(canister), canister.id),
                limit: QUERY_INSTRUCTION_LIMIT,
                ...(this.#onExecution ? { onExecution: this.#onExecution } : {})
            },
            call.canisterId,
            call.method,
            call.arg,
            call.sender
        );
    }

    async submit(call: CanisterCall): Promise<SubmitResult> {
        const rejected = this.#inspect(call);
        if (rejected) return { kind: 'rejected', outcome: rejected };
        const requestId = this.#newMessageId(call);
        return { kind: 'accepted', messageId: this.submitWithId(call, requestId), effectivePrincipal: call.effectivePrincipal ?? { kind: 'none' } };
    }

    /** Queues an ingress message under a caller-chosen request id (the IC HTTP interface uses the envelope's). */
    submitWithId(call: CanisterCall, requestId: Uint8Array): Uint8Array {
        const key = bytesToHex(requestId);
        if (this.#ingress.has(key)) return requestId; // duplicate submission: the IC ignores it
        this.#ingress.set(key, { sender: call.sender, requestId });
        this.#queue.push({
            kind: 'call',
            target: call.canisterId,
            method: call.method,
            arg: call.arg,
            caller: call.sender,
            cycles: 0n,
            origin: { kind: 'ingress', messageId: key },
            deadline: 0n,
            ...(call.effectivePrincipal ? { effectivePrincipal: call.effectivePrincipal } : {})
        });
        return requestId;
    }

    /** Runs canister_inspect_message for an ingress update; a reject means the message is refused. */
    inspectIngress(call: CanisterCall): Reject | undefined {
        return this.#inspect(call);
    }

    async awaitIngress(messageId: Uint8Array): Promise<CallOutcome> {
        return this.awaitNow(messageId);
    }

    awaitNow(messageId: Uint8Array): CallOutcome {
        const record = this.#ingress.get(bytesToHex(messageId));
        if (!record) throw new LocalIcError('MessageNotFound', `No ingress message with id ${bytesToHex(messageId)}`);
        let idle = 0;
        for (let rounds = 0; !record.outcome; rounds++) {
            if (rounds >= MAX_ROUNDS_PER_AWAIT) {
                throw new LocalIcError('Timeout', `Ingress message ${bytesToHex(messageId)} did not complete within ${MAX_ROUNDS_PER_AWAIT} rounds`);
            }
            const worked = this.runRound();
            idle = worked ? 0 : idle + 1;
            if (idle >= MAX_IDLE_ROUNDS && !record.outcome) {
                throw new LocalIcError(
                    'Timeout',
                    `Ingress message ${bytesToHex(messageId)} cannot complete: nothing is left to execute (is it waiting for a timer? advance the time)`
                );
            }
        }
        return record.outcome;
    }

    async ingressStatus(messageId: Uint8Array, caller?: Principal): Promise<CallOutcome | undefined> {
        const record = this.#ingress.get(bytesToHex(messageId));
        if (!record) throw new LocalIcError('MessageNotFound', `No ingress message with id ${bytesToHex(messageId)}`);
        if (caller && caller.toText() !== record.sender.toText()) {
            throw new LocalIcError('Forbidden', `The user ${caller.toText()} is not the sender of the ingress message`);
        }
        return record.outcome;
    }

    /** Status of an ingress message by request id, for read_state. */
    ingressRecord(requestId: Uint8Array): { sender: Principal; outcome?: CallOutcome } | undefined {
        return this.#ingress.get(bytesToHex(requestId));
    }

    async autoProgress(options: { artificialDelayMs?: number } = {}): Promise<void> {
        if (this.#autoProgress) return;
        const delay = Math.max(options.artificialDelayMs ?? 100, 10);
        const timer = setInterval(() => {
            const now = BigInt(Date.now()) * 1_000_000n;
            if (now > this.#time) this.#time = now;
            this.runRound();
        }, delay);
        timer.unref();
        this.#autoProgress = { timer };
    }

    async stopProgress(): Promise<void> {
        if (this.#autoProgress) clearInterval(this.#autoProgress.timer);
        this.#autoProgress = undefined;
    }

    isAutoProgressing(): boolean {
        return this.#autoProgress !== undefined;
    }

    async dispose(): Promise<void> {
        await this.stopProgress();
        this.#canisters.clear();
        this.#queue = [];
    }

    // ---- rounds -------------------------------------------------------------------------------

    /** Executes one round; returns whether anything ran. */
    runRound(): boolean {
        let worked = false;
        for (const canister of this.#canisters.values()) {
            if (canister.status !== 'running' || !canister.module) continue;
            if (canister.globalTimer !== 0n && this.#time >= canister.globalTimer && canister.module.description.hasGlobalTimer) {
                canister.globalTimer = 0n;
                this.#runSystemTask(canister, 'canister_global_timer');
                worked = true;
            }
            if (canister.module?.description.hasHeartbeat) {
                this.#runSystemTask(canister, 'canister_heartbeat');
                worked = true;
            }
        }
        const tasks = this.#queue;
        this.#queue = [];
        for (const task of tasks) {
            if (task.kind === 'call') this.#deliverCall(task);
            else this.#deliverResponse(task);
            worked = true;
        }
        this.#settleStopping();
        this.#pruneIngressHistory();
        this.round += 1;
        // A round that changed state is certified at once. An idle round only moves time; re-signing
        // for that at most once a second spares a BLS signature per round in auto-progress mode
        // (certificates stay within a second of the current time, far inside the 5-minute tolerance).
        if (worked || this.#time - this.#certifiedTime >= IDLE_CERTIFICATION_INTERVAL_NANOS) {
            this.#certifiedTime = this.#time;
            this.#certifier.invalidate();
        }
        return worked || this.#queue.length > 0;
    }

    #runSystemTask(canister: CanisterState, entry: 'canister_global_timer' | 'canister_heartbeat'): void {
        const module = canister.module!;
        const context = this.#openCallContext(canister, { kind: 'system' }, MANAGEMENT_CANISTER_ID, 0n, 0n);
        const result = execute(canister, module, { context: 'T', entry: { kind: 'export', name: entry }, caller: MANAGEMENT_CANISTER_ID, limit: UPDATE_INSTRUCTION_LIMIT, finish: 'commit' }, this.#facts());
        if (result.trap) this.#log(`[Canister ${canister.id.toText()}] ${entry} trapped: ${result.trap.message}`);
        this.#afterExecution(canister, context, result, 'T', entry);
    }

    #deliverCall(task: Extract<Task, { kind: 'call' }>): void {
        if (task.target.toText() === MANAGEMENT_CANISTER_ID.toText()) {
            this.#management.handle(
                {
                    caller: task.caller,
                    method: task.method,
                    arg: task.arg,
                    cycles: task.cycles,
                    fromUser: task.origin.kind === 'ingress',
                    ...(task.effectivePrincipal ? { effectivePrincipal: task.effectivePrincipal } : {})
                },
                (outcome, refund) => this.#respond(task.origin, outcome, refund)
            );
            return;
        }
        const canister = this.#canisters.get(task.target.toText());
        if (!canister) return this.#respond(task.origin, canisterNotFound(task.target), task.cycles);
        if (canister.status !== 'running') return this.#respond(task.origin, canisterStopped(canister.id, canister.status === 'stopping'), task.cycles);
        const module = canister.module;
        if (!module) return this.#respond(task.origin, canisterEmpty(canister.id), task.cycles);
        const { description } = module;
        let context: 'U' | 'RQ';
        if (description.updateMethods.has(task.method)) context = 'U';
        else if (description.queryMethods.has(task.method)) context = 'RQ';
        else if (description.compositeQueryMethods.has(task.method)) {
            return this.#respond(
                task.origin,
                reject(RejectCode.CanisterError, ErrorCode.CompositeQueryCalledInReplicatedMode, `Error from Canister ${canister.id.toText()}: Composite query cannot be called in replicated mode`),
                task.cycles
            );
        } else return this.#respond(task.origin, methodNotFound(canister.id, 'update', task.method), task.cycles);

        const callContext = this.#openCallContext(canister, task.origin, task.caller, task.cycles, task.deadline);
        const exportName = context === 'U' ? `canister_update ${task.method}` : `canister_query ${task.method}`;
        const result = execute(
            canister,
            module,
            {
                context,
                entry: { kind: 'export', name: exportName },
                caller: task.caller,
                arg: task.arg,
                availableCycles: task.cycles,
                deadline: task.deadline,
                limit: UPDATE_INSTRUCTION_LIMIT,
                finish: context === 'U' ? 'commit' : 'rollback'
            },
            this.#facts()
        );
        this.#afterExecution(canister, callContext, result, context, exportName);
    }

    #deliverResponse(task: Extract<Task, { kind: 'response' }>): void {
        const canister = this.#canisters.get(task.target.toText());
        if (!canister) return;
        const callback = canister.callbacks.get(task.callbackId);
        if (!callback) return;
        canister.callbacks.delete(task.callbackId);
        canister.cycles += task.refund;
        const callContext = canister.callContexts.get(callback.callContextId);
        if (!callContext) return;
        callContext.outstandingCalls -= 1;
        const module = canister.module;
        if (!module) {
            this.#closeIfDone(canister, callContext);
            return;
        }
        const isReply = task.outcome.kind === 'reply';
        const ref = isReply ? callback.onReply : callback.onReject;
        const common = {
            caller: callContext.caller,
            refundedCycles: task.refund,
            availableCycles: callContext.availableCycles,
            alreadyResponded: callContext.replied,
            callContextInstructions: callContext.instructions,
            limit: UPDATE_INSTRUCTION_LIMIT,
            finish: 'commit' as const
        };
        const result = execute(
            canister,
            module,
            {
                ...common,
                context: isReply ? 'Ry' : 'Rt',
                entry: { kind: 'callback', fn: ref.fn, env: ref.env },
                ...(task.outcome.kind === 'reply'
                    ? { arg: task.outcome.bytes, rejectCode: 0 }
                    : { rejectCode: task.outcome.rejectCode, rejectMessage: task.outcome.message })
            },
            this.#facts()
        );
        if (result.trap && callback.onCleanup) {
            const cleanup = execute(
                canister,
                module,
                {
                    ...common,
                    context: 'C',
                    entry: { kind: 'callback', fn: callback.onCleanup.fn, env: callback.onCleanup.env },
                    rejectCode: task.outcome.kind === 'reply' ? 0 : task.outcome.rejectCode
                },
                this.#facts()
            );
            if (cleanup.trap) this.#log(`[Canister ${canister.id.toText()}] cleanup callback trapped: ${cleanup.trap.message}`);
        }
        this.#afterExecution(canister, callContext, result, isReply ? 'Ry' : 'Rt', isReply ? 'reply callback' : 'reject callback');
    }

    /** Applies the outcome of an execution to its call context: new calls, a response, closing. */
    #afterExecution(canister: CanisterState, callContext: CallContext, result: ExecuteResult, context: 'U' | 'RQ' | 'Ry' | 'Rt' | 'T', entry: string): void {
        callContext.instructions += result.instructions;
        this.#onExecution?.({ canisterId: canister.id, entry, instructions: result.instructions, trapped: result.trap !== undefined });
        if (result.trap) {
            if (!callContext.replied && callContext.outstandingCalls === 0) {
                this.#reply(
                    canister,
                    callContext,
                    reject(RejectCode.CanisterError, result.trap.errorCode, `Error from Canister ${canister.id.toText()}: ${result.trap.message}`)
                );
            }
            this.#closeIfDone(canister, callContext);
            return;
        }
        const execution = result.execution;
        if (context !== 'RQ') {
            callContext.availableCycles = execution.availableCycles;
            for (const call of execution.outgoingCalls) {
                const id = this.#nextCallback++;
                const deadline = call.timeoutSeconds !== undefined ? this.#time + BigInt(call.timeoutSeconds) * 1_000_000_000n : 0n;
                canister.callbacks.set(id, {
                    id,
                    callContextId: callContext.id,
                    callee: call.callee,
                    onReply: call.onReply,
                    onReject: call.onReject,
                    ...(call.onCleanup ? { onCleanup: call.onCleanup } : {}),
                    cyclesSent: call.cycles,
                    deadline
                });
                callContext.outstandingCalls += 1;
                this.#queue.push({
                    kind: 'call',
                    target: call.callee,
                    method: call.method,
                    arg: concatBytes(...call.arg),
                    caller: canister.id,
                    cycles: call.cycles,
                    origin: { kind: 'canister', caller: canister.id, callbackId: id },
                    deadline
                });
            }
        }
        if (execution.response) {
            const outcome: CallOutcome =
                execution.response.kind === 'reply'
                    ? { kind: 'reply', bytes: execution.response.bytes }
                    : reject(RejectCode.CanisterReject, ErrorCode.CanisterRejectedMessage, execution.response.message);
            this.#reply(canister, callContext, outcome);
        } else if (!callContext.replied && callContext.outstandingCalls === 0 && callContext.origin.kind !== 'system') {
            this.#reply(canister, callContext, didNotReply(canister.id));
        }
        this.#closeIfDone(canister, callContext);
    }

    #reply(canister: CanisterState, callContext: CallContext, outcome: CallOutcome): void {
        callContext.replied = true;
        const refund = callContext.availableCycles;
        callContext.availableCycles = 0n;
        void canister;
        this.#respond(callContext.origin, outcome, refund);
    }

    #respond(origin: CallOrigin, outcome: CallOutcome, refund: bigint): void {
        if (origin.kind === 'ingress') {
            const record = this.#ingress.get(origin.messageId);
            if (record && !record.outcome) {
                record.outcome = outcome;
                record.completedAt = this.#time;
            }
        } else if (origin.kind === 'canister') {
            this.#queue.push({ kind: 'response', target: origin.caller, callbackId: origin.callbackId, outcome, refund });
        }
    }

    #pruneIngressHistory(): void {
        for (const [key, record] of this.#ingress) {
            if (record.completedAt !== undefined && this.#time - record.completedAt > INGRESS_HISTORY_NANOS) this.#ingress.delete(key);
        }
    }

    #openCallContext(canister: CanisterState, origin: CallOrigin, caller: Principal, cycles: bigint, deadline: bigint): CallContext {
        const context: CallContext = {
            id: this.#nextCallContext++,
            origin,
            caller,
            availableCycles: cycles,
            replied: origin.kind === 'system',
            outstandingCalls: 0,
            instructions: 0n,
            deadline
        };
        canister.callContexts.set(context.id, context);
        return context;
    }

    #closeIfDone(canister: CanisterState, callContext: CallContext): void {
        if (callContext.outstandingCalls === 0) canister.callContexts.delete(callContext.id);
    }

    #settleStopping(): void {
        for (const canister of this.#canisters.values()) {
            if (canister.status === 'stopping' && canister.callContexts.size === 0) {
                canister.status = 'stopped';
                for (const waiter of canister.stopWaiters.splice(0)) waiter(true);
            }
        }
    }

    #inspect(call: CanisterCall): Reject | undefined {
        if (call.canisterId.toText() === MANAGEMENT_CANISTER_ID.toText()) return undefined;
        const canister = this.#canisters.get(call.canisterId.toText());
        const module = canister?.module;
        if (!canister || !module || canister.status !== 'running' || !module.description.hasInspectMessage) return undefined;
        if (!module.description.updateMethods.has(call.method)) return undefined;
        const result = execute(
            canister,
            module,
            {
                context: 'F',
                entry: { kind: 'export', name: 'canister_inspect_message' },
                caller: call.sender,
                arg: call.arg,
                methodName: call.method,
                limit: INSPECT_MESSAGE_INSTRUCTION_LIMIT,
                finish: 'rollback'
            },
            this.#facts()
        );
        if (result.trap) {
            return reject(RejectCode.CanisterReject, ErrorCode.CanisterRejectedMessage, `Error from Canister ${canister.id.toText()}: ${result.trap.message}`, false);
        }
        if (!result.execution.messageAccepted) {
            return reject(RejectCode.CanisterReject, ErrorCode.CanisterRejectedMessage, `Error from Canister ${canister.id.toText()}: Canister rejected the message`, false);
        }
        return undefined;
    }

    // ---- canisters ------------------------------------------------------------------------------

    #managementHost(): ManagementHost {
        return {
            facts: () => this.#facts(),
            canister: (id) => this.#canisters.get(id.toText()),
            createCanister: (options) => this.#createCanister(options),
            deleteCanister: (canister) => {
                canister.deleted = true;
                this.#canisters.delete(canister.id.toText());
                this.#deleted.add(canister.id.toText());
                this.#certifier.invalidate();
            },
            rejectOpenCallContexts: (canister, message) => {
                for (const context of canister.callContexts.values()) {
                    if (!context.replied) this.#reply(canister, context, reject(RejectCode.CanisterReject, ErrorCode.CanisterRejectedMessage, message));
                }
                canister.callContexts.clear();
                canister.callbacks.clear();
            },
            whenStopped: (canister, done) => {
                canister.stopWaiters.push(done);
            }
        };
    }

    #createCanister(options: {
        settings: ReturnType<typeof defaultSettings>;
        cycles: bigint;
        specifiedId?: Principal;
        effectivePrincipal?: EffectivePrincipal;
    }): CanisterState | Reject {
        let subnet: Subnet | undefined;
        let id: Principal;
        if (options.specifiedId) {
            id = options.specifiedId;
            subnet = subnetOfCanisterId(this.subnets, id);
            if (!subnet || canisterIdToNumber(id) === undefined) {
                return reject(RejectCode.CanisterReject, ErrorCode.InvalidManagementPayload, `The specified canister id ${id.toText()} is not in the canister range of any subnet.`);
            }
            if (this.#canisters.has(id.toText()) || this.#deleted.has(id.toText())) {
                return reject(RejectCode.CanisterReject, ErrorCode.CanisterIdAlreadyExists, `Canister ${id.toText()} is already installed.`);
            }
        } else {
            subnet = this.#subnetFor(options.effectivePrincipal);
            if (!subnet) return reject(RejectCode.DestinationInvalid, ErrorCode.SubnetNotFound, 'The effective principal does not name a subnet of this instance.');
            while (this.#canisters.has(canisterIdFromNumber(subnet.nextCanister).toText()) || this.#deleted.has(canisterIdFromNumber(subnet.nextCanister).toText())) {
                subnet.nextCanister += 1n;
            }
            if (subnet.nextCanister > subnet.rangeEnd) {
                return reject(RejectCode.CanisterError, 'IC0102', `Subnet ${subnet.id.toText()} has no canister ids left.`);
            }
            id = canisterIdFromNumber(subnet.nextCanister);
            subnet.nextCanister += 1n;
        }
        const canister = new Canister(id, options.settings, options.cycles, subnet.id);
        this.#canisters.set(id.toText(), canister);
        this.#certifier.invalidate();
        return canister;
    }

    #subnetFor(effective: EffectivePrincipal | undefined): Subnet | undefined {
        if (!effective || effective.kind === 'none') return this.subnets.find((s) => s.kind === 'Application') ?? this.subnets[0];
        if (effective.kind === 'subnet') return this.subnetById(effective.id);
        const existing = this.#canisters.get(effective.id.toText());
        if (existing) return this.subnetById(existing.subnetId);
        return subnetOfCanisterId(this.subnets, effective.id);
    }

    #subnetOfCanister(canister: CanisterState): Subnet {
        return this.subnetById(canister.subnetId)!;
    }

    #mustGet(id: Principal): CanisterState {
        const canister = this.#canisters.get(id.toText());
        if (!canister) throw new LocalIcError('CanisterNotFound', `Canister ${id.toText()} not found`);
        return canister;
    }

    #facts(): NetworkFacts {
        return {
            time: this.#time,
            rootKey: this.rootKey,
            debugPrint: (canister, message) => this.#log(`[Canister ${canister.toText()}] ${message}`)
        };
    }

    #newMessageId(call: CanisterCall): Uint8Array {
        this.#messageCounter += 1n;
        const seed = new TextEncoder().encode(`${this.#messageCounter}:${call.sender.toText()}:${call.canisterId.toText()}:${call.method}`);
        return sha256(new Uint8Array([...seed, ...randomBytes(8)]));
    }

    *#requestStatuses(): Iterable<RequestStatusInput> {
        for (const record of this.#ingress.values()) {
            if (!record.outcome) continue;
            if (record.outcome.kind === 'reply') {
                yield { requestId: record.requestId, status: 'replied', reply: record.outcome.bytes };
            } else {
                yield {
                    requestId: record.requestId,
                    status: 'rejected',
                    rejectCode: record.outcome.rejectCode,
                    rejectMessage: record.outcome.message,
                    ...(record.outcome.errorCode ? { errorCode: record.outcome.errorCode } : {})
                };
            }
        }
    }
}

