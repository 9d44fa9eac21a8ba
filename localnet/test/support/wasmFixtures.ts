/** Tiny hand-assembled wasm modules for install-time validation tests. */
import { encodeUnsignedLeb128 } from '../../src/leb128';

const leb = (value: number): number[] => [...encodeUnsignedLeb128(value)];

function name(text: string): number[] {
    const bytes = [...new TextEncoder().encode(text)];
    return [...leb(bytes.length), ...bytes];
}

function section(id: number, content: number[]): number[] {
    return [id, ...leb(content.length), ...content];
}

/** A valid module that imports one `() -> ()` function `module.field` and defines a memory. */
export function wasmWithImport(module: string, field: string): Uint8Array {
    const type = section(1, [1, 0x60, 0, 0]);
    const imports = section(2, [1, ...name(module), ...name(field), 0x00, 0]);
    const memory = section(5, [1, 0x00, 1]);
    return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...memory]);
}
