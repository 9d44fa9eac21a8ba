/**
 * An Azle-stable-mode-like runtime for tests: the bundled library and a V8 context in which the
 * globals Azle lacks either throw on access (as they do there, even under `typeof`) or are absent.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const THROWING = ['Buffer', 'URL', 'fetch', 'setTimeout', 'window', 'self', 'global', 'WebAssembly', 'process', 'require'];
export const ABSENT = ['atob', 'btoa', 'URLSearchParams', 'structuredClone', 'setInterval', 'Intl', 'queueMicrotask'];

/** The library bundled as Azle's build bundles it (esbuild, neutral platform). */
export async function bundleShared(): Promise<string> {
    const result = await build({
        entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
        bundle: true,
        format: 'iife',
        globalName: 'shared',
        platform: 'neutral',
        mainFields: ['module', 'main'],
        conditions: ['import', 'default'],
        target: 'es2020',
        write: false,
        logLevel: 'silent'
    });
    return result.outputFiles[0]!.text;
}

/** A bare V8 context shaped like Azle's stable-mode runtime (see ../shared/AZLE.md). */
export function azleLikeContext(): vm.Context {
    const touched: string[] = [];
    const sandbox: Record<string, unknown> = {
        TextEncoder,
        TextDecoder,
        console: { log: () => undefined, error: () => undefined },
        crypto: { getRandomValues: <T extends ArrayBufferView>(array: T) => globalThis.crypto.getRandomValues(array) }
    };
    const context = vm.createContext(sandbox);
    for (const name of THROWING) {
        Object.defineProperty(vm.runInContext('globalThis', context), name, {
            get() {
                touched.push(name);
                throw new ReferenceError(`${name} is not available in Azle stable mode`);
            }
        });
    }
    for (const name of ABSENT) vm.runInContext(`delete globalThis.${name}`, context);
    (context as { touched?: string[] }).touched = touched;
    return context;
}
