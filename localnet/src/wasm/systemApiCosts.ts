/**
 * Instructions the IC charges for ic0 system API calls, on top of the metered wasm (the `call`
 * instruction itself, 5, is already counted by the instrumentation). The host adds
 * `systemApiCharge(...)` to `__localnet_instruction_counter` at the start of each call, before
 * doing the work, and traps with "instruction limit exceeded" if the counter then exceeds the limit.
 *
 * Sources (dfinity/ic, 2025):
 *  - fixed overheads: `overhead` in rs/embedders/src/wasmtime_embedder/system_api_complexity.rs;
 *  - which argument is charged per byte, and the 50x factor for payload bytes leaving the sandbox
 *    (BYTE_TRANSMISSION_COST_FACTOR) and the canister-log charge: rs/embedders/src/wasmtime_embedder/linker.rs
 *    (commit 0048d8c4f88100022f8d9c65bafae7755f45cd6e);
 *  - 1 instruction per byte on application subnets, 0 on system subnets:
 *    `get_num_instructions_from_bytes` in rs/embedders/src/wasmtime_embedder/system_api.rs;
 *  - stable memory is implemented natively in wasm on the IC (system_api_replacements.rs):
 *    read/write charge `overhead_native` 20 + size (all subnets) and write adds
 *    `dirty_page_overhead` per newly dirtied 4 KiB stable page (1_000 on application subnets,
 *    rs/config/src/subnet_config.rs); grow charges 100 (`overhead_native::STABLE_GROW`); size is free.
 */

/** How the variable part of a call's charge derives from its arguments. */
export type ByteCharge =
    | { readonly kind: 'none' }
    /** `factor` instructions per byte of argument `arg` (subject to the subnet's per-byte rate). */
    | { readonly kind: 'bytes'; readonly arg: number; readonly factor: number }
    /** Sum of several size arguments, 1 per byte (call_new: callee + method name). */
    | { readonly kind: 'sumOfBytes'; readonly args: readonly number[] }
    /** debug_print / trap: the canister-log charge on argument `arg`, see `logChargeBytes`. */
    | { readonly kind: 'log'; readonly arg: number; readonly alsoCharge: 'length' | 'lengthIfPrinting' }
    /** Wasm-native stable memory access: size charged on every subnet type, plus dirty pages for writes. */
    | { readonly kind: 'stable'; readonly arg: number; readonly write: boolean };

export interface SystemApiCost {
    readonly overhead: number;
    readonly bytes: ByteCharge;
}

const NONE: ByteCharge = { kind: 'none' };
const fixed = (overhead: number): SystemApiCost => ({ overhead, bytes: NONE });
const perByte = (overhead: number, arg: number, factor = 1): SystemApiCost => ({
    overhead,
    bytes: { kind: 'bytes', arg, factor }
});

/** Multiplier for bytes handed out of the canister sandbox (reply, reject, call payloads). */
export const BYTE_TRANSMISSION_COST_FACTOR = 50;
/** Instructions per newly dirtied stable-memory page on application subnets. */
export const STABLE_DIRTY_PAGE_OVERHEAD = 1_000;
/** Default canister log capacity (DEFAULT_AGGREGATE_LOG_MEMORY_LIMIT). */
export const DEFAULT_LOG_CAPACITY = 4 * 1024;

// Argument positions follow the ic0 signatures in the interface specification.
export const SYSTEM_API_COSTS: Readonly<Record<string, SystemApiCost>> = {
    msg_arg_data_size: fixed(500),
    msg_arg_data_copy: perByte(500, 2), // (dst, offset, size)
    msg_caller_size: fixed(500),
    msg_caller_copy: perByte(500, 2),
    msg_reject_code: fixed(500),
    msg_reject_msg_size: fixed(500),
    msg_reject_msg_copy: perByte(500, 2),
    msg_deadline: fixed(500),
    msg_reply_data_append: perByte(500, 1, BYTE_TRANSMISSION_COST_FACTOR), // (src, size)
    msg_reply: fixed(500),
    msg_reject: perByte(500, 1, BYTE_TRANSMISSION_COST_FACTOR),
    msg_cycles_available: fixed(500),
    msg_cycles_available128: fixed(500),
    msg_cycles_refunded: fixed(500),
    msg_cycles_refunded128: fixed(500),
    msg_cycles_accept: fixed(500),
    msg_cycles_accept128: fixed(500),
    msg_method_name_size: fixed(500),
    msg_method_name_copy: perByte(500, 2),
    accept_message: fixed(500),
    cycles_burn128: fixed(500),
    canister_self_size: fixed(500),
    canister_self_copy: perByte(500, 2),
    canister_cycle_balance: fixed(500),
    canister_cycle_balance128: fixed(500),
    canister_liquid_cycle_balance128: fixed(500),
    canister_status: fixed(500),
    canister_version: fixed(500),
    subnet_self_size: fixed(500),
    subnet_self_copy: perByte(500, 2),
    root_key_size: fixed(500),
    root_key_copy: perByte(500, 2),
    env_var_count: fixed(500),
    env_var_name_size: fixed(500),
    env_var_name_copy: perByte(500, 3), // (index, dst, offset, size)
    env_var_name_exists: fixed(500),
    env_var_value_size: fixed(500),
    env_var_value_copy: perByte(500, 4), // (name_src, name_size, dst, offset, size)
    call_new: { overhead: 1_500, bytes: { kind: 'sumOfBytes', args: [1, 3] } }, // callee_size, name_size
    call_on_cleanup: fixed(500),
    call_data_append: perByte(500, 1, BYTE_TRANSMISSION_COST_FACTOR),
    call_with_best_effort_response: fixed(500),
    call_cycles_add: fixed(500),
    call_cycles_add128: fixed(500),
    call_perform: fixed(5_000),
    stable_size: fixed(0),
    stable64_size: fixed(0),
    stable_grow: fixed(100),
    stable64_grow: fixed(100),
    stable_read: { overhead: 20, bytes: { kind: 'stable', arg: 2, write: false } }, // (dst, offset, size)
    stable64_read: { overhead: 20, bytes: { kind: 'stable', arg: 2, write: false } },
    stable_write: { overhead: 20, bytes: { kind: 'stable', arg: 2, write: true } }, // (offset, src, size)
    stable64_write: { overhead: 20, bytes: { kind: 'stable', arg: 2, write: true } },
    certified_data_set: perByte(500, 1),
    data_certificate_present: fixed(500),
    data_certificate_size: fixed(500),
    data_certificate_copy: perByte(500, 2),
    time: fixed(500),
    global_timer_set: fixed(500),
    performance_counter: fixed(200),
    is_controller: perByte(1_000, 1),
    in_replicated_execution: fixed(500),
    cost_call: fixed(500),
    cost_create_canister: fixed(500),
    cost_http_request: fixed(500),
    cost_http_request_v2: fixed(10_000),
    cost_sign_with_ecdsa: perByte(500, 1),
    cost_sign_with_schnorr: perByte(500, 1),
    cost_vetkd_derive_key: perByte(500, 1),
    debug_print: { overhead: 100, bytes: { kind: 'log', arg: 1, alsoCharge: 'lengthIfPrinting' } }, // (src, size)
    trap: { overhead: 500, bytes: { kind: 'log', arg: 1, alsoCharge: 'length' } },
    // The replica does not charge this one (no charge_for_cpu in linker.rs).
    mint_cycles128: fixed(0)
};

export interface ChargeContext {
    /** Per-byte charges apply on application subnets only (default 'application'). */
    readonly subnetType?: 'application' | 'system';
    /** Canister log buffer capacity in bytes (default 4 KiB). */
    readonly logCapacity?: number;
    /** Free bytes left in the canister log (default: the whole capacity). */
    readonly logRemaining?: number;
    /** Whether debug_print output is emitted (the local replica prints; default true). */
    readonly debugPrintEnabled?: boolean;
    /** For stable writes: 4 KiB stable pages this write dirties for the first time in the message. */
    readonly newlyDirtiedStablePages?: number;
}

/**
 * The canister-log part of debug_print/trap: twice the bytes stored (adding a record and evicting
 * an old one) plus the transmission factor on the bytes that fit in the remaining space.
 */
export function logChargeBytes(length: number, capacity: number, remaining: number): number {
    return 2 * Math.min(length, capacity) + BYTE_TRANSMISSION_COST_FACTOR * Math.min(length, remaining);
}

function argument(name: string, args: readonly (number | bigint)[], index: number): number {
    const value = args[index];
    if (value === undefined) throw new Error(`ic0.${name}: missing argument ${index}`);
    return Number(value);
}

const NO_CONTEXT: ChargeContext = {};

/**
 * Instructions to charge for one call of `ic0.<name>(...args)`; unknown names throw. Runs on every
 * system call, so it allocates nothing (canisters such as Azle's make thousands per message).
 */
export function systemApiCharge(name: string, args: readonly (number | bigint)[], context: ChargeContext = NO_CONTEXT): number {
    const cost = SYSTEM_API_COSTS[name];
    if (!cost) throw new Error(`no cost known for ic0.${name}`);
    const application = (context.subnetType ?? 'application') === 'application';
    const bytes = cost.bytes;
    switch (bytes.kind) {
        case 'none':
            return cost.overhead;
        case 'bytes':
            return cost.overhead + (application ? bytes.factor * argument(name, args, bytes.arg) : 0);
        case 'sumOfBytes': {
            if (!application) return cost.overhead;
            let sum = 0;
            for (const index of bytes.args) sum += argument(name, args, index);
            return cost.overhead + sum;
        }
        case 'log': {
            const length = argument(name, args, bytes.arg);
            const capacity = context.logCapacity ?? DEFAULT_LOG_CAPACITY;
            let charged = logChargeBytes(length, capacity, context.logRemaining ?? capacity);
            if (bytes.alsoCharge === 'length' || (context.debugPrintEnabled ?? true)) charged += length;
            return cost.overhead + (application ? charged : 0);
        }
        case 'stable': {
            const dirty = bytes.write && application ? (context.newlyDirtiedStablePages ?? 0) * STABLE_DIRTY_PAGE_OVERHEAD : 0;
            return cost.overhead + argument(name, args, bytes.arg) + dirty;
        }
    }
}
