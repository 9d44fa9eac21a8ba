/**
 * The `ic0` imports (interface specification, "System API"), for canisters with 32-bit memory.
 * Each function checks that the current context may call it, charges its cost, then acts on the
 * current MessageExecution. Blob arguments are copied out of / into guest memory with bounds
 * checks; 128-bit amounts are (high, low) i64 pairs in, 16 little-endian bytes out.
 */
import { Principal } from '@icp-sdk/core/principal';
import { CanisterTrap, calledTrap, contractViolation } from './canisterTrap';
import { isAvailable, isReplicated, type ContextKind } from './executionContext';
import type { GuestMemory } from './guestMemory';
import type { MessageExecution, OutgoingCall } from './messageExecution';
import type { ChargeContext } from '../wasm/systemApiCosts';
import type { StableMemory } from './stableMemory';
import { WASM_PAGE_SIZE } from './stableMemory';

/** Largest reply and inter-canister payload (2 MiB), and the limit for non-replicated query replies (3 MiB). */
export const MAX_REPLIED_BYTES = 2 * 1024 * 1024;
export const MAX_QUERY_REPLY_BYTES = 3 * 1024 * 1024;
export const MAX_CALL_PAYLOAD_BYTES = 2 * 1024 * 1024;

export interface SystemApiRuntime {
    /** The message being executed; undefined only while the (start) function runs. */
    execution(): MessageExecution | undefined;
    memory(): GuestMemory;
    stable: StableMemory;
    /** Adds the IC's cost of a system API call (from its raw arguments) to the instruction counter. */
    charge(functionName: string, args: readonly (number | bigint)[], context?: ChargeContext): void;
    /** Instructions executed so far by this message. */
    instructions(): bigint;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function u128(high: bigint, low: bigint): bigint {
    return (BigInt.asUintN(64, high) << 64n) | BigInt.asUintN(64, low);
}

function u128Bytes(value: bigint): Uint8Array {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt.asUintN(64, value), true);
    view.setBigUint64(8, BigInt.asUintN(64, value >> 64n), true);
    return bytes;
}

/** i32 addresses arrive as signed JS numbers. */
function addr(value: number): number {
    return value >>> 0;
}

export function createSystemApi(rt: SystemApiRuntime): Record<string, (...args: never[]) => unknown> {
    const contextOf = (): ContextKind => rt.execution()?.context ?? 's';

    function enter(name: string, args: readonly (number | bigint)[] = [], charge?: ChargeContext): MessageExecution {
        const context = contextOf();
        if (!isAvailable(name, context)) {
            throw contractViolation(`"ic0.${name}" cannot be executed in ${contextName(context)} mode`);
        }
        rt.charge(name, args, charge);
        return rt.execution() as MessageExecution;
    }

    /** For functions also callable from (start), where no execution exists. */
    function enterAnywhere(name: string, args: readonly (number | bigint)[] = [], charge?: ChargeContext): MessageExecution | undefined {
        const context = contextOf();
        if (!isAvailable(name, context)) {
            throw contractViolation(`"ic0.${name}" cannot be executed in ${contextName(context)} mode`);
        }
        rt.charge(name, args, charge);
        return rt.execution();
    }

    function copyOut(name: string, source: Uint8Array, dst: number, offset: number, size: number): void {
        const start = addr(offset);
        const length = addr(size);
        if (start + length > source.length) {
            throw contractViolation(`${name}: offset ${start} + size ${length} exceeds ${source.length} bytes`);
        }
        rt.memory().write(addr(dst), source.subarray(start, start + length));
    }

    function blobFunctions(name: string, get: (e: MessageExecution) => Uint8Array) {
        return {
            [`${name}_size`]: (): number => get(enter(`${name}_size`)).length,
            [`${name}_copy`]: (dst: number, offset: number, size: number): void => {
                const e = enter(`${name}_copy`, [addr(dst), addr(offset), addr(size)]);
                copyOut(`ic0.${name}_copy`, get(e), dst, offset, size);
            }
        };
    }

    function argData(e: MessageExecution): Uint8Array {
        return e.input.arg ?? new Uint8Array(0);
    }

    function rejectMessage(e: MessageExecution): Uint8Array {
        if (e.input.rejectCode === undefined || e.input.rejectCode === 0) {
            throw contractViolation('ic0.msg_reject_msg_*: there is no reject message');
        }
        return new TextEncoder().encode(e.input.rejectMessage ?? '');
    }

    function respond(e: MessageExecution, name: string): void {
        if (!e.canRespond) throw contractViolation(`${name}: the call has already been responded to`);
    }

    function newCall(e: MessageExecution, callee: Uint8Array, method: string, reply: [number, number], rejectFn: [number, number]): void {
        if (e.pendingCall) e.balance += e.pendingCall.cycles; // discard the unfinished call
        e.pendingCall = {
            callee: Principal.fromUint8Array(callee),
            method,
            arg: [],
            cycles: 0n,
            onReply: { fn: reply[0], env: reply[1] },
            onReject: { fn: rejectFn[0], env: rejectFn[1] }
        };
    }

    function pending(e: MessageExecution, name: string): OutgoingCall {
        if (!e.pendingCall) throw contractViolation(`${name}: no call is being assembled (call ic0.call_new first)`);
        return e.pendingCall;
    }

    function addCycles(e: MessageExecution, name: string, amount: bigint): void {
        const call = pending(e, name);
        if (amount > e.balance) {
            throw new CanisterTrap(`Canister trapped: ${name}: insufficient cycles balance (${e.balance} < ${amount})`);
        }
        e.balance -= amount;
        call.cycles += amount;
    }

    function accept(e: MessageExecution, max: bigint): bigint {
        const amount = max < e.availableCycles ? max : e.availableCycles;
        e.availableCycles -= amount;
        e.acceptedCycles += amount;
        e.balance += amount;
        return amount;
    }

    function stableRange(offset: bigint, size: bigint): void {
        if (size < 0n || offset < 0n) throw contractViolation('stable memory: negative offset or size');
    }

    const api: Record<string, (...args: never[]) => unknown> = {
        ...blobFunctions('msg_arg_data', argData),
        ...blobFunctions('msg_caller', (e) => e.input.caller.toUint8Array()),
        ...blobFunctions('msg_caller_info_data', () => new Uint8Array(0)),
        ...blobFunctions('msg_caller_info_signer', () => new Uint8Array(0)),
        ...blobFunctions('msg_reject_msg', rejectMessage),
        ...blobFunctions('canister_self', (e) => e.env.canisterId.toUint8Array()),
        ...blobFunctions('subnet_self', (e) => e.env.subnetId.toUint8Array()),
        ...blobFunctions('msg_method_name', (e) => new TextEncoder().encode(e.input.methodName ?? '')),
        ...blobFunctions('root_key', (e) => e.env.rootKey),
        ...blobFunctions('data_certificate', (e) => {
            if (!e.env.dataCertificate) throw contractViolation('ic0.data_certificate_*: no certificate is present');
            return e.env.dataCertificate();
        }),

        msg_reject_code: (): number => enter('msg_reject_code').input.rejectCode ?? 0,
        msg_deadline: (): bigint => enter('msg_deadline').input.deadline ?? 0n,

        msg_reply_data_append: (src: number, size: number): void => {
            const e = enter('msg_reply_data_append', [addr(src), addr(size)]);
            respond(e, 'ic0.msg_reply_data_append');
            const limit = e.context === 'NRQ' || e.context === 'CQ' ? MAX_QUERY_REPLY_BYTES : MAX_REPLIED_BYTES;
            if (e.replySize + addr(size) > limit) {
                throw new CanisterTrap(
                    `Canister trapped: ic0.msg_reply_data_append: application payload size (${e.replySize + addr(size)}) cannot be larger than ${limit}.`
                );
            }
            e.replyChunks.push(rt.memory().read(addr(src), addr(size)));
            e.replySize += addr(size);
        },
        msg_reply: (): void => {
            const e = enter('msg_reply');
            respond(e, 'ic0.msg_reply');
            const bytes = new Uint8Array(e.replySize);
            let offset = 0;
            for (const chunk of e.replyChunks) {
                bytes.set(chunk, offset);
                offset += chunk.length;
            }
            e.response = { kind: 'reply', bytes };
        },
        msg_reject: (src: number, size: number): void => {
            const e = enter('msg_reject', [addr(src), addr(size)]);
            respond(e, 'ic0.msg_reject');
            e.response = { kind: 'reject', message: utf8.decode(rt.memory().read(addr(src), addr(size))) };
        },

        msg_cycles_available128: (dst: number): void => {
            const e = enter('msg_cycles_available128');
            rt.memory().write(addr(dst), u128Bytes(e.availableCycles));
        },
        msg_cycles_available: (): bigint => {
            const e = enter('msg_cycles_available');
            if (e.availableCycles > (1n << 64n) - 1n) throw contractViolation('ic0.msg_cycles_available: amount does not fit 64 bits');
            return BigInt.asIntN(64, e.availableCycles);
        },
        msg_cycles_refunded128: (dst: number): void => {
            const e = enter('msg_cycles_refunded128');
            rt.memory().write(addr(dst), u128Bytes(e.input.refundedCycles ?? 0n));
        },
        msg_cycles_refunded: (): bigint => BigInt.asIntN(64, enter('msg_cycles_refunded').input.refundedCycles ?? 0n),
        msg_cycles_accept128: (high: bigint, low: bigint, dst: number): void => {
            const e = enter('msg_cycles_accept128', [high, low, dst]);
            rt.memory().write(addr(dst), u128Bytes(accept(e, u128(high, low))));
        },
        msg_cycles_accept: (max: bigint): bigint => BigInt.asIntN(64, accept(enter('msg_cycles_accept'), BigInt.asUintN(64, max))),
        cycles_burn128: (high: bigint, low: bigint, dst: number): void => {
            const e = enter('cycles_burn128', [high, low, dst]);
            const wanted = u128(high, low);
            const burned = wanted < e.balance ? wanted : e.balance;
            e.balance -= burned;
            e.burnedCycles += burned;
            rt.memory().write(addr(dst), u128Bytes(burned));
        },

        canister_cycle_balance128: (dst: number): void => {
            const e = enter('canister_cycle_balance128');
            rt.memory().write(addr(dst), u128Bytes(e.balance));
        },
        canister_liquid_cycle_balance128: (dst: number): void => {
            const e = enter('canister_liquid_cycle_balance128');
            rt.memory().write(addr(dst), u128Bytes(e.balance));
        },
        canister_cycle_balance: (): bigint => {
            const e = enter('canister_cycle_balance');
            if (e.balance > (1n << 64n) - 1n) throw contractViolation('ic0.canister_cycle_balance: balance does not fit 64 bits');
            return BigInt.asIntN(64, e.balance);
        },
        canister_status: (): number => {
            const status = enter('canister_status').env.status;
            return status === 'running' ? 1 : status === 'stopping' ? 2 : 3;
        },
        canister_version: (): bigint => enter('canister_version').env.version,

        accept_message: (): void => {
            const e = enter('accept_message');
            if (e.messageAccepted) throw contractViolation('ic0.accept_message: the message was already accepted');
            e.messageAccepted = true;
        },

        call_new: (
            calleeSrc: number,
            calleeSize: number,
            nameSrc: number,
            nameSize: number,
            replyFun: number,
            replyEnv: number,
            rejectFun: number,
            rejectEnv: number
        ): void => {
            const e = enter('call_new', [calleeSrc, addr(calleeSize), nameSrc, addr(nameSize), replyFun, replyEnv, rejectFun, rejectEnv]);
            const callee = rt.memory().read(addr(calleeSrc), addr(calleeSize));
            if (callee.length > 29) throw contractViolation('ic0.call_new: callee id longer than 29 bytes');
            const method = utf8.decode(rt.memory().read(addr(nameSrc), addr(nameSize)));
            newCall(e, callee, method, [addr(replyFun), addr(replyEnv)], [addr(rejectFun), addr(rejectEnv)]);
        },
        call_on_cleanup: (fn: number, env: number): void => {
            const e = enter('call_on_cleanup', [fn, env]);
            const call = pending(e, 'ic0.call_on_cleanup');
            if (call.onCleanup) throw contractViolation('ic0.call_on_cleanup: cleanup callback already set');
            call.onCleanup = { fn: addr(fn), env: addr(env) };
        },
        call_data_append: (src: number, size: number): void => {
            const e = enter('call_data_append', [addr(src), addr(size)]);
            const call = pending(e, 'ic0.call_data_append');
            const total = call.arg.reduce((n, chunk) => n + chunk.length, 0) + addr(size);
            if (total > MAX_CALL_PAYLOAD_BYTES) {
                throw new CanisterTrap(`Canister trapped: ic0.call_data_append: payload size ${total} exceeds ${MAX_CALL_PAYLOAD_BYTES}`);
            }
            call.arg.push(rt.memory().read(addr(src), addr(size)));
        },
        call_with_best_effort_response: (timeoutSeconds: number): void => {
            const e = enter('call_with_best_effort_response', [timeoutSeconds]);
            const call = pending(e, 'ic0.call_with_best_effort_response');
            if (call.timeoutSeconds !== undefined) {
                throw contractViolation('ic0.call_with_best_effort_response: timeout already set');
            }
            call.timeoutSeconds = Math.min(addr(timeoutSeconds), 300);
        },
        call_cycles_add128: (high: bigint, low: bigint): void => {
            const e = enter('call_cycles_add128', [high, low]);
            addCycles(e, 'ic0.call_cycles_add128', u128(high, low));
        },
        call_cycles_add: (amount: bigint): void => {
            const e = enter('call_cycles_add', [amount]);
            addCycles(e, 'ic0.call_cycles_add', BigInt.asUintN(64, amount));
        },
        call_perform: (): number => {
            const e = enter('call_perform');
            const call = pending(e, 'ic0.call_perform');
            e.outgoingCalls.push(call);
            e.pendingCall = undefined;
            return 0;
        },

        stable64_size: (): bigint => {
            enterAnywhere('stable64_size');
            return BigInt(rt.stable.pages);
        },
        stable64_grow: (pages: bigint): bigint => {
            enterAnywhere('stable64_grow', [pages]);
            return rt.stable.grow(BigInt.asUintN(64, pages));
        },
        stable64_write: (offset: bigint, src: bigint, size: bigint): void => {
            const o = BigInt.asUintN(64, offset);
            const s = BigInt.asUintN(64, size);
            enterAnywhere('stable64_write', [o, BigInt.asUintN(64, src), s], { newlyDirtiedStablePages: rt.stable.newlyDirtied(o, s) });
            stableRange(o, s);
            rt.stable.write(o, rt.memory().read(Number(BigInt.asUintN(64, src)), Number(s)));
        },
        stable64_read: (dst: bigint, offset: bigint, size: bigint): void => {
            const o = BigInt.asUintN(64, offset);
            const s = BigInt.asUintN(64, size);
            enterAnywhere('stable64_read', [BigInt.asUintN(64, dst), o, s]);
            stableRange(o, s);
            rt.memory().write(Number(BigInt.asUintN(64, dst)), rt.stable.read(o, s));
        },
        stable_size: (): number => {
            enterAnywhere('stable_size');
            if (rt.stable.pages > 65_536) throw contractViolation('ic0.stable_size: stable memory exceeds 4 GiB (use stable64_size)');
            return rt.stable.pages;
        },
        stable_grow: (pages: number): number => {
            enterAnywhere('stable_grow', [pages]);
            const old = rt.stable.pages;
            if (old + addr(pages) > 65_536) return -1;
            return Number(rt.stable.grow(BigInt(addr(pages))));
        },
        stable_write: (offset: number, src: number, size: number): void => {
            enterAnywhere('stable_write', [addr(offset), addr(src), addr(size)], {
                newlyDirtiedStablePages: rt.stable.newlyDirtied(BigInt(addr(offset)), BigInt(addr(size)))
            });
            if (rt.stable.byteLength > 65_536 * WASM_PAGE_SIZE) throw contractViolation('ic0.stable_write: stable memory exceeds 4 GiB');
            rt.stable.write(BigInt(addr(offset)), rt.memory().read(addr(src), addr(size)));
        },
        stable_read: (dst: number, offset: number, size: number): void => {
            enterAnywhere('stable_read', [addr(dst), addr(offset), addr(size)]);
            if (rt.stable.byteLength > 65_536 * WASM_PAGE_SIZE) throw contractViolation('ic0.stable_read: stable memory exceeds 4 GiB');
            rt.memory().write(addr(dst), rt.stable.read(BigInt(addr(offset)), BigInt(addr(size))));
        },

        certified_data_set: (src: number, size: number): void => {
            const e = enter('certified_data_set', [addr(src), addr(size)]);
            if (addr(size) > 32) throw contractViolation('ic0.certified_data_set: data longer than 32 bytes');
            e.certifiedData = rt.memory().read(addr(src), addr(size));
        },
        data_certificate_present: (): number => (enter('data_certificate_present').env.dataCertificate ? 1 : 0),

        time: (): bigint => BigInt.asIntN(64, enter('time').env.time),
        global_timer_set: (timestamp: bigint): bigint => {
            const e = enter('global_timer_set', [timestamp]);
            const previous = e.globalTimer;
            e.globalTimer = BigInt.asUintN(64, timestamp);
            return BigInt.asIntN(64, previous);
        },
        performance_counter: (type: number): bigint => {
            const e = enterAnywhere('performance_counter', [type]);
            if (type === 0) return rt.instructions();
            if (type === 1) return (e?.env.callContextInstructions ?? 0n) + rt.instructions();
            throw contractViolation(`ic0.performance_counter: unknown counter type ${type}`);
        },
        is_controller: (src: number, size: number): number => {
            const e = enterAnywhere('is_controller', [addr(src), addr(size)]);
            if (addr(size) > 29) throw contractViolation('ic0.is_controller: principal longer than 29 bytes');
            const bytes = rt.memory().read(addr(src), addr(size));
            const text = Principal.fromUint8Array(bytes).toText();
            return e?.env.controllers.some((c) => c.toText() === text) ? 1 : 0;
        },
        in_replicated_execution: (): number => {
            enterAnywhere('in_replicated_execution');
            return isReplicated(contextOf()) ? 1 : 0;
        },

        cost_call: (methodNameSize: bigint, payloadSize: bigint, dst: number): void => {
            enterAnywhere('cost_call');
            // Application subnet of 13 nodes: 260K per call plus 1K per byte sent.
            const bytes = BigInt.asUintN(64, methodNameSize) + BigInt.asUintN(64, payloadSize);
            rt.memory().write(addr(dst), u128Bytes(260_000n + 1_000n * bytes));
        },
        cost_create_canister: (dst: number): void => {
            enterAnywhere('cost_create_canister');
            rt.memory().write(addr(dst), u128Bytes(500_000_000_000n));
        },
        cost_http_request: (requestSize: bigint, maxResponseBytes: bigint, dst: number): void => {
            enterAnywhere('cost_http_request');
            const n = 13n;
            const cost = (3_000_000n + 60_000n * n) * n + 400n * n * BigInt.asUintN(64, requestSize) + 800n * n * BigInt.asUintN(64, maxResponseBytes);
            rt.memory().write(addr(dst), u128Bytes(cost));
        },
        // Threshold signatures and vetKD are not emulated: every key name is unknown (code 2).
        cost_sign_with_ecdsa: (src: number, size: number, curve: number, dst: number): number => {
            enterAnywhere('cost_sign_with_ecdsa', [addr(src), addr(size), curve, addr(dst)]);
            return 2;
        },
        cost_sign_with_schnorr: (src: number, size: number, algorithm: number, dst: number): number => {
            enterAnywhere('cost_sign_with_schnorr', [addr(src), addr(size), algorithm, addr(dst)]);
            return 2;
        },
        cost_vetkd_derive_key: (src: number, size: number, curve: number, dst: number): number => {
            enterAnywhere('cost_vetkd_derive_key', [addr(src), addr(size), curve, addr(dst)]);
            return 2;
        },

        env_var_count: (): number => enter('env_var_count').env.environmentVariables.size,
        env_var_name_size: (index: number): number => envName(enter('env_var_name_size', [index]), index).length,
        env_var_name_copy: (index: number, dst: number, offset: number, size: number): void => {
            const e = enter('env_var_name_copy', [index, addr(dst), addr(offset), addr(size)]);
            copyOut('ic0.env_var_name_copy', envName(e, index), dst, offset, size);
        },
        env_var_name_exists: (src: number, size: number): number => {
            const e = enter('env_var_name_exists', [addr(src), addr(size)]);
            return e.env.environmentVariables.has(utf8.decode(rt.memory().read(addr(src), addr(size)))) ? 1 : 0;
        },
        env_var_value_size: (src: number, size: number): number => envValue(enter('env_var_value_size', [addr(src), addr(size)]), src, size).length,
        env_var_value_copy: (src: number, size: number, dst: number, offset: number, copySize: number): void => {
            const e = enter('env_var_value_copy', [addr(src), addr(size), addr(dst), addr(offset), addr(copySize)]);
            copyOut('ic0.env_var_value_copy', envValue(e, src, size), dst, offset, copySize);
        },

        debug_print: (src: number, size: number): void => {
            const e = enterAnywhere('debug_print', [addr(src), addr(size)]);
            const text = utf8.decode(rt.memory().read(addr(src), addr(Math.min(addr(size), 64 * 1024))));
            e?.env.debugPrint(text);
        },
        trap: (src: number, size: number): never => {
            enterAnywhere('trap', [addr(src), addr(size)]);
            const text = utf8.decode(rt.memory().read(addr(src), addr(Math.min(addr(size), 16 * 1024))));
            throw calledTrap(text);
        }
    };

    function envName(e: MessageExecution, index: number): Uint8Array {
        const names = [...e.env.environmentVariables.keys()].sort();
        const name = names[addr(index)];
        if (name === undefined) throw contractViolation(`env_var_name: index ${addr(index)} out of range`);
        return new TextEncoder().encode(name);
    }

    function envValue(e: MessageExecution, src: number, size: number): Uint8Array {
        const name = utf8.decode(rt.memory().read(addr(src), addr(size)));
        const value = e.env.environmentVariables.get(name);
        if (value === undefined) throw contractViolation(`env_var_value: no variable ${JSON.stringify(name)}`);
        return new TextEncoder().encode(value);
    }

    return api;
}

function contextName(context: ContextKind): string {
    const names: Record<ContextKind, string> = {
        I: 'init',
        G: 'pre_upgrade',
        U: 'update',
        RQ: 'replicated query',
        NRQ: 'non-replicated query',
        CQ: 'composite query',
        Ry: 'reply callback',
        Rt: 'reject callback',
        CRy: 'composite query reply callback',
        CRt: 'composite query reject callback',
        C: 'cleanup',
        CC: 'composite query cleanup',
        F: 'inspect message',
        T: 'system task',
        s: 'start'
    };
    return names[context];
}

