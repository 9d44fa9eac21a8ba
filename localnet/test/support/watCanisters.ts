/**
 * Hand-written WAT canisters for semantics Azle does not expose observably (cleanup callbacks,
 * heartbeats). Replies are raw bytes, not Candid.
 */
import wabtInit from 'wabt';

/**
 * `call_and_trap_in_callback(callee bytes)`: calls a missing method on the callee, with a reject
 * callback that traps and a cleanup callback that sets memory[0..4] = 1.
 * `cleanup_flag()`: replies memory[0..4]. `canister_heartbeat` counts into memory[4..8];
 * `heartbeats()` replies it.
 */
const CALLBACKS_WAT = `
(module
  (import "ic0" "msg_reply" (func $msg_reply))
  (import "ic0" "msg_reply_data_append" (func $reply_append (param i32 i32)))
  (import "ic0" "msg_arg_data_size" (func $arg_size (result i32)))
  (import "ic0" "msg_arg_data_copy" (func $arg_copy (param i32 i32 i32)))
  (import "ic0" "call_new" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "ic0" "call_on_cleanup" (func $call_on_cleanup (param i32 i32)))
  (import "ic0" "call_perform" (func $call_perform (result i32)))
  (import "ic0" "trap" (func $trap (param i32 i32)))
  (memory (export "memory") 1)
  (table 3 funcref)
  (elem (i32.const 0) $on_reply $on_reject_trap $on_cleanup)
  (data (i32.const 100) "missing_method")
  (data (i32.const 200) "reject callback boom")
  (func $on_reply (param i32))
  (func $on_reject_trap (param i32) (call $trap (i32.const 200) (i32.const 20)))
  (func $on_cleanup (param i32) (i32.store (i32.const 0) (i32.const 1)))
  (func (export "canister_update call_and_trap_in_callback")
    (call $arg_copy (i32.const 300) (i32.const 0) (call $arg_size))
    (call $call_new (i32.const 300) (call $arg_size) (i32.const 100) (i32.const 14)
      (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 0))
    (call $call_on_cleanup (i32.const 2) (i32.const 0))
    (drop (call $call_perform)))
  (func (export "canister_query cleanup_flag")
    (call $reply_append (i32.const 0) (i32.const 4))
    (call $msg_reply))
  (func (export "canister_heartbeat")
    (i32.store (i32.const 4) (i32.add (i32.load (i32.const 4)) (i32.const 1))))
  (func (export "canister_query heartbeats")
    (call $reply_append (i32.const 4) (i32.const 4))
    (call $msg_reply))
)`;

export async function callbacksCanisterWasm(): Promise<Uint8Array> {
    const wabt = await wabtInit();
    const module = wabt.parseWat('callbacks.wat', CALLBACKS_WAT, { bulk_memory: true, reference_types: true });
    const { buffer } = module.toBinary({});
    module.destroy();
    return new Uint8Array(buffer);
}

export function u32(bytes: Uint8Array): number {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
}
