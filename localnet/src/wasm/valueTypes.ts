/** Value type codes of the wasm binary format (MVP, SIMD, reference types). */
import { WasmDecodeError } from './byteReader';

export const ValType = {
    I32: 0x7f,
    I64: 0x7e,
    F32: 0x7d,
    F64: 0x7c,
    V128: 0x7b,
    FuncRef: 0x70,
    ExternRef: 0x6f
} as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

export type ValTypeName = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

const NAMES: Readonly<Record<number, ValTypeName>> = {
    [ValType.I32]: 'i32',
    [ValType.I64]: 'i64',
    [ValType.F32]: 'f32',
    [ValType.F64]: 'f64',
    [ValType.V128]: 'v128',
    [ValType.FuncRef]: 'funcref',
    [ValType.ExternRef]: 'externref'
};

export function isValType(code: number): code is ValType {
    return NAMES[code] !== undefined;
}

export function isRefType(code: number): boolean {
    return code === ValType.FuncRef || code === ValType.ExternRef;
}

/** Throws for codes outside the supported proposals (GC and typed function references included). */
export function checkValType(code: number, offset: number): ValType {
    if (!isValType(code)) {
        throw new WasmDecodeError(
            `unsupported value type 0x${code.toString(16)} (GC/typed function references are not supported)`,
            offset
        );
    }
    return code;
}

export function valTypeName(code: ValType): ValTypeName {
    return NAMES[code]!;
}
