/**
 * install_code semantics (install, reinstall, upgrade) and uninstall_code. Each is atomic: the
 * start function, init/post_upgrade and pre_upgrade run as deferred executions, and the canister
 * keeps its previous module and memories unless all of them succeed.
 */
import type { Principal } from '@icp-sdk/core/principal';
import { RejectCode } from './localIc';
import type { CanisterState } from './canisterState';
import { applyEffects, commitTransaction, execute, rollbackTransaction, type NetworkFacts } from './executor';
import { ErrorCode, reject, type Reject } from './icErrors';
import { InstalledModule } from './installedModule';
import { InvalidWasmError, prepareModule } from './moduleValidation';

/** The IC's instruction limit for install_code (start + init, or pre_upgrade + start + post_upgrade). */
export const INSTALL_INSTRUCTION_LIMIT = 300_000_000_000n;

export type InstallMode =
    | { readonly kind: 'install' }
    | { readonly kind: 'reinstall' }
    | { readonly kind: 'upgrade'; readonly skipPreUpgrade: boolean; readonly keepWasmMemory: boolean };

export interface InstallResult {
    readonly instructions: bigint;
}

function failure(canister: CanisterState, errorCode: string, message: string): Reject {
    return reject(RejectCode.CanisterError, errorCode, `Error from Canister ${canister.id.toText()}: ${message}`);
}

export function installCode(
    canister: CanisterState,
    mode: InstallMode,
    wasm: Uint8Array,
    arg: Uint8Array,
    sender: Principal,
    facts: NetworkFacts
): InstallResult | Reject {
    const id = canister.id.toText();
    if (mode.kind === 'install' && canister.module) {
        return reject(
            RejectCode.CanisterError,
            ErrorCode.CanisterNonEmpty,
            `Canister ${id} cannot be installed because the canister is not empty. Try installing with mode='reinstall' instead.`
        );
    }
    if (mode.kind === 'upgrade' && !canister.module) {
        return reject(RejectCode.DestinationInvalid, ErrorCode.CanisterWasmModuleNotFound, `Canister ${id} has no Wasm module to upgrade.`);
    }
    if (mode.kind === 'upgrade' && mode.keepWasmMemory) {
        return reject(
            RejectCode.CanisterError,
            ErrorCode.CanisterInvalidWasm,
            `Canister ${id}: wasm_memory_persistence = keep (enhanced orthogonal persistence) is not supported by localnet.`
        );
    }

    let prepared;
    try {
        prepared = prepareModule(wasm);
    } catch (error) {
        if (error instanceof InvalidWasmError) {
            return reject(RejectCode.CanisterError, ErrorCode.CanisterInvalidWasm, `Error from Canister ${id}: Canister's Wasm module is not valid: ${error.message}`);
        }
        throw error;
    }

    const old = canister.module;
    let spent = 0n;
    const remaining = (): bigint => INSTALL_INSTRUCTION_LIMIT - spent;

    // pre_upgrade runs on the old module; its changes to stable memory must survive into post_upgrade.
    if (mode.kind === 'upgrade' && old && !mode.skipPreUpgrade && old.description.hasPreUpgrade) {
        const result = execute(canister, old, { context: 'G', entry: { kind: 'export', name: 'canister_pre_upgrade' }, caller: sender, limit: remaining(), finish: 'defer' }, facts);
        spent += result.instructions;
        if (result.trap) return failure(canister, result.trap.errorCode, `${result.trap.message} (in canister_pre_upgrade)`);
    }

    const savedStable = mode.kind === 'upgrade' ? undefined : canister.stable.snapshot();
    const restore = (): void => {
        if (mode.kind === 'upgrade' && old) {
            rollbackTransaction(canister, old);
        } else {
            canister.stable.rollback();
            canister.stable.replace(savedStable ?? new Uint8Array(0));
            canister.inTransaction = false;
        }
    };
    if (mode.kind !== 'upgrade') {
        canister.stable.commit();
        canister.stable.clear();
        canister.inTransaction = false;
    }

    let fresh: InstalledModule;
    try {
        fresh = new InstalledModule(canister, prepared.compiled, prepared.description, prepared.hash);
    } catch (error) {
        restore();
        return reject(RejectCode.CanisterError, ErrorCode.CanisterInvalidWasm, `Error from Canister ${id}: Canister's Wasm module could not be instantiated: ${(error as Error).message}`);
    }

    const previousTimer = canister.globalTimer;
    const previousCertified = canister.certifiedData;
    canister.globalTimer = 0n;
    if (mode.kind !== 'upgrade') canister.certifiedData = new Uint8Array(0);

    const start = execute(canister, fresh, { context: 's', entry: { kind: 'start' }, caller: sender, limit: remaining(), finish: 'defer' }, facts);
    spent += start.instructions;
    if (start.trap) {
        canister.globalTimer = previousTimer;
        canister.certifiedData = previousCertified;
        restore();
        return failure(canister, start.trap.errorCode, `${start.trap.message} (in start)`);
    }

    const initName = mode.kind === 'upgrade' ? 'canister_post_upgrade' : 'canister_init';
    const hasInit = mode.kind === 'upgrade' ? prepared.description.hasPostUpgrade : prepared.description.hasInit;
    let initExecution;
    if (hasInit) {
        const init = execute(canister, fresh, { context: 'I', entry: { kind: 'export', name: initName }, caller: sender, arg, limit: remaining(), finish: 'defer' }, facts);
        spent += init.instructions;
        if (init.trap) {
            canister.globalTimer = previousTimer;
            canister.certifiedData = previousCertified;
            restore();
            return failure(canister, init.trap.errorCode, `${init.trap.message} (in ${initName})`);
        }
        initExecution = init.execution;
    }

    commitTransaction(canister, fresh);
    if (initExecution) applyEffects(canister, initExecution);
    canister.module = fresh;
    canister.version += 1n;
    return { instructions: spent };
}

/** Removes the module and memories; the caller rejects the open call contexts. */
export function uninstallCode(canister: CanisterState): void {
    canister.module = undefined;
    canister.stable.commit();
    canister.stable.clear();
    canister.inTransaction = false;
    canister.certifiedData = new Uint8Array(0);
    canister.globalTimer = 0n;
    canister.version += 1n;
}
