/**
 * Deploying through a network's IC HTTP interface, as dfx does: canisters created with the
 * management canister's provisional call (local networks only), code installed or upgraded
 * gzipped so an Azle module (about 3.6 MB, 1.2 MB gzipped) fits in one 2 MiB ingress message
 * (the IC and localnet both accept gzipped modules).
 */
import { gzipSync } from 'node:zlib';
import { Actor, type HttpAgent } from '@icp-sdk/core/agent';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';

const managementIdl = ({ IDL: idl }: { IDL: typeof IDL }) =>
    idl.Service({
        provisional_create_canister_with_cycles: idl.Func(
            [idl.Record({ amount: idl.Opt(idl.Nat), settings: idl.Opt(idl.Record({ controllers: idl.Opt(idl.Vec(idl.Principal)) })) })],
            [idl.Record({ canister_id: idl.Principal })],
            []
        ),
        canister_status: idl.Func([idl.Record({ canister_id: idl.Principal })], [idl.Record({ module_hash: idl.Opt(idl.Vec(idl.Nat8)), cycles: idl.Nat })], []),
        install_code: idl.Func(
            [
                idl.Record({
                    mode: idl.Variant({ install: idl.Null, reinstall: idl.Null, upgrade: idl.Opt(idl.Record({ skip_pre_upgrade: idl.Opt(idl.Bool) })) }),
                    canister_id: idl.Principal,
                    wasm_module: idl.Vec(idl.Nat8),
                    arg: idl.Vec(idl.Nat8),
                    sender_canister_version: idl.Opt(idl.Nat64)
                })
            ],
            [],
            []
        )
    });

interface ManagementService {
    provisional_create_canister_with_cycles(arg: { amount: [] | [bigint]; settings: [] | [{ controllers: [] | [Principal[]] }] }): Promise<{ canister_id: Principal }>;
    install_code(arg: { mode: { install: null } | { upgrade: [] }; canister_id: Principal; wasm_module: Uint8Array; arg: Uint8Array; sender_canister_version: [] }): Promise<void>;
    canister_status(arg: { canister_id: Principal }): Promise<{ module_hash: [] | [Uint8Array]; cycles: bigint }>;
}

/** The management canister, addressed through `effectiveCanisterId` (calls must name a subnet). */
function management(agent: HttpAgent, effectiveCanisterId: Principal): ManagementService {
    return Actor.createActor(managementIdl as never, { agent, canisterId: Principal.managementCanister(), effectiveCanisterId }) as unknown as ManagementService;
}

/** Creates an empty canister with cycles, controlled by the agent's principal. */
export async function createCanister(agent: HttpAgent, effectiveCanisterId: Principal, cycles: bigint): Promise<Principal> {
    const controller = await agent.getPrincipal();
    const { canister_id } = await management(agent, effectiveCanisterId).provisional_create_canister_with_cycles({
        amount: [cycles],
        settings: [{ controllers: [[controller]] }]
    });
    return Principal.fromText(canister_id.toText());
}

/** The installed module's SHA-256 (hex), undefined for an empty canister; the caller must be a controller. */
export async function moduleHash(agent: HttpAgent, canisterId: Principal): Promise<string | undefined> {
    const status = await management(agent, canisterId).canister_status({ canister_id: canisterId });
    return status.module_hash[0] === undefined ? undefined : Buffer.from(status.module_hash[0]).toString('hex');
}

/** Installs (or upgrades) `wasm`, gzipped on the way, with the Candid-encoded argument `arg`. */
export async function installCode(agent: HttpAgent, canisterId: Principal, wasm: Uint8Array, arg: Uint8Array, mode: 'install' | 'upgrade' = 'install'): Promise<void> {
    await management(agent, canisterId).install_code({
        mode: mode === 'install' ? { install: null } : { upgrade: [] },
        canister_id: canisterId,
        wasm_module: new Uint8Array(gzipSync(wasm, { level: 9 })),
        arg,
        sender_canister_version: []
    });
}
