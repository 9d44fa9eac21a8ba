/**
 * Turning submitted canister code into something runnable: gunzip, validate against the IC's rules
 * (imports only from `ic0` and only functions localnet implements; no method exported twice),
 * instrument, compile. Compiled modules are cached by content hash, so installing the same wasm
 * into many canisters pays instrumentation and compilation once.
 */
import { sha256 } from '@noble/hashes/sha256';
import { gunzipSync } from 'node:zlib';
import { instrumentModule } from '../wasm/instrument';
import { isSystemApiFunction } from './executionContext';
import type { CompiledCanisterModule } from './wasmCanister';

export const MAX_DECOMPRESSED_MODULE_BYTES = 100 * 1024 * 1024;

export interface ModuleDescription {
    readonly updateMethods: ReadonlySet<string>;
    readonly queryMethods: ReadonlySet<string>;
    readonly compositeQueryMethods: ReadonlySet<string>;
    readonly hasInit: boolean;
    readonly hasPreUpgrade: boolean;
    readonly hasPostUpgrade: boolean;
    readonly hasHeartbeat: boolean;
    readonly hasGlobalTimer: boolean;
    readonly hasInspectMessage: boolean;
    /** `icp:public <name>` / `icp:private <name>` custom sections. */
    readonly metadata: ReadonlyMap<string, { readonly isPublic: boolean; readonly bytes: Uint8Array }>;
}

export interface PreparedModule {
    readonly compiled: CompiledCanisterModule;
    readonly description: ModuleDescription;
    /** sha256 of the bytes as submitted. */
    readonly hash: Uint8Array;
}

export class InvalidWasmError extends Error {
    override name = 'InvalidWasmError';
}

const cache = new Map<string, { compiled: CompiledCanisterModule; description: ModuleDescription }>();

function hex(bytes: Uint8Array): string {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function prepareModule(submitted: Uint8Array): PreparedModule {
    const hash = sha256(submitted);
    const wasm = isGzip(submitted) ? gunzip(submitted) : submitted;
    const key = hex(sha256(wasm));
    const cached = cache.get(key);
    if (cached) return { ...cached, hash };

    if (!WebAssembly.validate(wasm as Uint8Array<ArrayBuffer>)) {
        throw new InvalidWasmError('Wasm module is not valid WebAssembly (or uses a feature localnet does not support).');
    }
    let instrumented;
    try {
        instrumented = instrumentModule(wasm);
    } catch (error) {
        throw new InvalidWasmError(`Wasm module could not be instrumented: ${(error as Error).message}`);
    }
    for (const imp of instrumented.imports) {
        if (imp.module !== 'ic0') {
            throw new InvalidWasmError(
                `Wasm module has an invalid import section. Module imports ${imp.kind} '${imp.name}' from '${imp.module}' that is not exported by the runtime.`
            );
        }
        if (imp.kind !== 'function' || !isSystemApiFunction(imp.name)) {
            throw new InvalidWasmError(
                `Wasm module has an invalid import section. Module imports ${imp.kind} '${imp.name}' from 'ic0' that is not exported by the runtime.`
            );
        }
    }
    const module = new WebAssembly.Module(instrumented.bytes);
    const description = describe(
        instrumented.exports.filter((e) => e.kind === 'function').map((e) => e.name),
        module,
        instrumented.customSections
    );
    const entry = { compiled: { module, instrumented }, description };
    cache.set(key, entry);
    return { ...entry, hash };
}

function isGzip(bytes: Uint8Array): boolean {
    return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array): Uint8Array {
    try {
        return new Uint8Array(gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_MODULE_BYTES }));
    } catch (error) {
        throw new InvalidWasmError(`Failed to decompress the gzipped Wasm module: ${(error as Error).message}`);
    }
}

function describe(functionExports: readonly string[], module: WebAssembly.Module, customSections: readonly string[]): ModuleDescription {
    const update = new Set<string>();
    const query = new Set<string>();
    const composite = new Set<string>();
    const seen = new Set<string>();
    for (const name of functionExports) {
        const match = /^canister_(update|query|composite_query) (.*)$/s.exec(name);
        if (!match) continue;
        const [, kind, method] = match as unknown as [string, string, string];
        if (seen.has(method)) {
            throw new InvalidWasmError(`Wasm module exports the method '${method}' more than once (as update, query or composite query).`);
        }
        seen.add(method);
        (kind === 'update' ? update : kind === 'query' ? query : composite).add(method);
    }
    const has = (name: string): boolean => functionExports.includes(name);
    const metadata = new Map<string, { isPublic: boolean; bytes: Uint8Array }>();
    for (const section of new Set(customSections)) {
        const match = /^icp:(public|private) (.+)$/s.exec(section);
        if (!match) continue;
        const contents = WebAssembly.Module.customSections(module, section);
        if (contents.length > 1) throw new InvalidWasmError(`Wasm module has more than one custom section '${section}'.`);
        metadata.set(match[2]!, { isPublic: match[1] === 'public', bytes: new Uint8Array(contents[0]!) });
    }
    return {
        updateMethods: update,
        queryMethods: query,
        compositeQueryMethods: composite,
        hasInit: has('canister_init'),
        hasPreUpgrade: has('canister_pre_upgrade'),
        hasPostUpgrade: has('canister_post_upgrade'),
        hasHeartbeat: has('canister_heartbeat'),
        hasGlobalTimer: has('canister_global_timer'),
        hasInspectMessage: has('canister_inspect_message'),
        metadata
    };
}
