/**
 * Where a piece of canister code runs, in the interface specification's terms, and which system
 * API functions each place may call ("Overview of imports"). Calling one elsewhere traps.
 */

export type ContextKind =
    | 'I' // canister_init, canister_post_upgrade
    | 'G' // canister_pre_upgrade
    | 'U' // canister_update
    | 'RQ' // canister_query, replicated
    | 'NRQ' // canister_query, non-replicated
    | 'CQ' // canister_composite_query
    | 'Ry' // reply callback
    | 'Rt' // reject callback
    | 'CRy' // reply callback in a composite query
    | 'CRt' // reject callback in a composite query
    | 'C' // cleanup callback
    | 'CC' // cleanup callback in a composite query
    | 'F' // canister_inspect_message
    | 'T' // canister_heartbeat, canister_global_timer
    | 's'; // the (start) function

const ALL: readonly ContextKind[] = ['I', 'G', 'U', 'RQ', 'NRQ', 'CQ', 'Ry', 'Rt', 'CRy', 'CRt', 'C', 'CC', 'F', 'T'];
const ALL_AND_START: readonly ContextKind[] = [...ALL, 's'];

function kinds(spec: string): readonly ContextKind[] {
    if (spec === '*') return ALL;
    if (spec === '* s') return ALL_AND_START;
    return spec.split(' ') as ContextKind[];
}

/** Availability per ic0 function, copied from the specification's import list. */
const AVAILABILITY: Record<string, string> = {
    msg_arg_data_size: 'I U RQ NRQ CQ Ry CRy F',
    msg_arg_data_copy: 'I U RQ NRQ CQ Ry CRy F',
    msg_caller_size: '*',
    msg_caller_copy: '*',
    msg_caller_info_data_size: 'U RQ NRQ CQ Ry Rt CRy CRt C CC F',
    msg_caller_info_data_copy: 'U RQ NRQ CQ Ry Rt CRy CRt C CC F',
    msg_caller_info_signer_size: 'U RQ NRQ CQ Ry Rt CRy CRt C CC F',
    msg_caller_info_signer_copy: 'U RQ NRQ CQ Ry Rt CRy CRt C CC F',
    msg_reject_code: 'Ry Rt CRy CRt C CC',
    msg_reject_msg_size: 'Rt CRt',
    msg_reject_msg_copy: 'Rt CRt',
    msg_deadline: 'U RQ NRQ CQ Ry Rt CRy CRt',
    msg_reply_data_append: 'U RQ NRQ CQ Ry Rt CRy CRt',
    msg_reply: 'U RQ NRQ CQ Ry Rt CRy CRt',
    msg_reject: 'U RQ NRQ CQ Ry Rt CRy CRt',
    msg_cycles_available128: 'U RQ Rt Ry',
    msg_cycles_refunded128: 'Rt Ry',
    msg_cycles_accept128: 'U RQ Rt Ry',
    msg_cycles_available: 'U RQ Rt Ry',
    msg_cycles_refunded: 'Rt Ry',
    msg_cycles_accept: 'U RQ Rt Ry',
    cycles_burn128: 'I G U RQ Ry Rt C T',
    canister_self_size: '*',
    canister_self_copy: '*',
    canister_cycle_balance128: '*',
    canister_cycle_balance: '*',
    canister_liquid_cycle_balance128: '*',
    canister_status: '*',
    canister_version: '*',
    subnet_self_size: '*',
    subnet_self_copy: '*',
    msg_method_name_size: 'F',
    msg_method_name_copy: 'F',
    accept_message: 'F',
    call_new: 'U CQ Ry Rt CRy CRt T',
    call_on_cleanup: 'U CQ Ry Rt CRy CRt T',
    call_data_append: 'U CQ Ry Rt CRy CRt T',
    call_with_best_effort_response: 'U CQ Ry Rt CRy CRt T',
    call_cycles_add128: 'U Ry Rt T',
    call_cycles_add: 'U Ry Rt T',
    call_perform: 'U CQ Ry Rt CRy CRt T',
    stable64_size: '* s',
    stable64_grow: '* s',
    stable64_write: '* s',
    stable64_read: '* s',
    stable_size: '* s',
    stable_grow: '* s',
    stable_write: '* s',
    stable_read: '* s',
    root_key_size: 'I G U RQ Ry Rt C T',
    root_key_copy: 'I G U RQ Ry Rt C T',
    certified_data_set: 'I G U Ry Rt T',
    data_certificate_present: '*',
    data_certificate_size: 'NRQ CQ',
    data_certificate_copy: 'NRQ CQ',
    time: '*',
    global_timer_set: 'I G U Ry Rt C T',
    performance_counter: '* s',
    is_controller: '* s',
    in_replicated_execution: '* s',
    cost_call: '* s',
    cost_create_canister: '* s',
    cost_http_request: '* s',
    cost_sign_with_ecdsa: '* s',
    cost_sign_with_schnorr: '* s',
    cost_vetkd_derive_key: '* s',
    env_var_count: '*',
    env_var_name_size: '*',
    env_var_name_copy: '*',
    env_var_name_exists: '*',
    env_var_value_size: '*',
    env_var_value_copy: '*',
    debug_print: '* s',
    trap: '* s'
};

const TABLE: ReadonlyMap<string, ReadonlySet<ContextKind>> = new Map(
    Object.entries(AVAILABILITY).map(([name, spec]) => [name, new Set(kinds(spec))])
);

export function isSystemApiFunction(name: string): boolean {
    return TABLE.has(name);
}

export function isAvailable(name: string, context: ContextKind): boolean {
    return TABLE.get(name)?.has(context) ?? false;
}

export function isReplicated(context: ContextKind): boolean {
    return context !== 'NRQ' && context !== 'CQ' && context !== 'CRy' && context !== 'CRt' && context !== 'CC' && context !== 'F';
}

/** Contexts whose changes to the canister's state are always discarded. */
export function discardsState(context: ContextKind): boolean {
    return context === 'RQ' || context === 'NRQ' || context === 'CQ' || context === 'CRy' || context === 'CRt' || context === 'CC' || context === 'F';
}
