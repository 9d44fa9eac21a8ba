/**
 * Installs a canister on an in-process LocalNetwork through its management canister, as dfx and
 * PicJS would, for the suites and scripts that drive the core directly (the IC HTTP interface,
 * the gateway, the benchmark). Ingress cannot do it: Azle modules exceed the 2 MiB message limit.
 */
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import type { LocalNetwork } from '../../src/core/localNetwork';
import { MANAGEMENT_CANISTER_ID } from '../../src/core/managementCanister';

const CreateArgs = IDL.Record({
    amount: IDL.Opt(IDL.Nat),
    settings: IDL.Opt(IDL.Record({ controllers: IDL.Opt(IDL.Vec(IDL.Principal)) }))
});
const CreateResult = IDL.Record({ canister_id: IDL.Principal });
const InstallArgs = IDL.Record({
    mode: IDL.Variant({ install: IDL.Null }),
    canister_id: IDL.Principal,
    wasm_module: IDL.Vec(IDL.Nat8),
    arg: IDL.Vec(IDL.Nat8)
});

/** `()`: what every canister's init accepts, with or without an init method. */
const NO_ARGUMENTS = new Uint8Array(IDL.encode([], []));

/**
 * Creates a canister controlled by `controllers` (default: the anonymous principal, which creates
 * it), installs `wasm` with an empty init argument, and runs one round: Azle seeds its randomness
 * from a timer right after init.
 */
export async function installThroughCore(network: LocalNetwork, wasm: Uint8Array, controllers?: readonly Principal[]): Promise<Principal> {
    const sender = controllers?.[0] ?? Principal.anonymous();
    const settings = controllers ? [{ controllers: [controllers] }] : [];
    const created = await managementCall(network, sender, 'provisional_create_canister_with_cycles', IDL.encode([CreateArgs], [{ amount: [], settings }]));
    const [{ canister_id: canisterId }] = IDL.decode([CreateResult], created) as unknown as [{ canister_id: Principal }];
    await managementCall(network, sender, 'install_code', IDL.encode([InstallArgs], [{ mode: { install: null }, canister_id: canisterId, wasm_module: wasm, arg: NO_ARGUMENTS }]));
    await network.tick();
    return canisterId;
}

async function managementCall(network: LocalNetwork, sender: Principal, method: string, arg: Uint8Array): Promise<Uint8Array> {
    const submitted = await network.submit({ sender, canisterId: MANAGEMENT_CANISTER_ID, method, arg: new Uint8Array(arg) });
    if (submitted.kind !== 'accepted') throw new Error(`${method} refused: ${submitted.outcome.message}`);
    const outcome = await network.awaitIngress(submitted.messageId);
    if (outcome.kind !== 'reply') throw new Error(`${method} rejected: ${outcome.message}`);
    return outcome.bytes;
}
