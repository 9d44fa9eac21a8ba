/**
 * Decodes the declarative sections of a module (types, imports, functions, tables, memories,
 * globals, exports, start) into the facts the instrumentation needs. Rejects features we do not
 * support: memory64, shared memory (threads), multiple memories, GC types, exception tags.
 */
import { ByteReader, WasmDecodeError } from './byteReader';
import { skipConstExpr } from './constExpr';
import { type RawSection, SectionId } from './moduleSections';
import { checkValType, isRefType, type ValType } from './valueTypes';

export type ExternalKind = 'function' | 'table' | 'memory' | 'global';
const EXTERNAL_KINDS: readonly ExternalKind[] = ['function', 'table', 'memory', 'global'];

export interface ModuleImport {
    readonly module: string;
    readonly name: string;
    readonly kind: ExternalKind;
}

export interface ModuleExport {
    readonly name: string;
    readonly kind: ExternalKind;
    readonly index: number;
}

export interface GlobalInfo {
    /** Index in the global index space (imports first). */
    readonly index: number;
    readonly type: ValType;
    readonly mutable: boolean;
    readonly imported: boolean;
}

export interface ModuleInfo {
    /** Parameter count of each type in the type section. */
    readonly typeParamCounts: readonly number[];
    readonly imports: readonly ModuleImport[];
    readonly importedFunctionCount: number;
    readonly importedTableCount: number;
    /** Type index of each function defined in the module (function section order). */
    readonly definedFunctionTypes: readonly number[];
    readonly definedTableCount: number;
    /** 0 or 1; more is rejected. */
    readonly memoryCount: number;
    readonly memoryImported: boolean;
    readonly globals: readonly GlobalInfo[];
    readonly exports: readonly ModuleExport[];
    readonly startFunction: number | undefined;
}

export function readModuleInfo(bytes: Uint8Array, sections: readonly RawSection[]): ModuleInfo {
    const info = {
        typeParamCounts: [] as number[],
        imports: [] as ModuleImport[],
        importedFunctionCount: 0,
        importedTableCount: 0,
        definedFunctionTypes: [] as number[],
        definedTableCount: 0,
        memoryCount: 0,
        memoryImported: false,
        globals: [] as GlobalInfo[],
        exports: [] as ModuleExport[],
        startFunction: undefined as number | undefined
    };
    for (const section of sections) {
        const r = new ByteReader(bytes, section.start, section.end);
        switch (section.id) {
            case SectionId.Type:
                readTypes(r, info.typeParamCounts);
                break;
            case SectionId.Import:
                readImports(r, info);
                break;
            case SectionId.Function:
                for (let n = r.u32(); n > 0; n--) info.definedFunctionTypes.push(r.u32());
                break;
            case SectionId.Table:
                for (let n = r.u32(); n > 0; n--) {
                    readTableType(r);
                    info.definedTableCount++;
                }
                break;
            case SectionId.Memory:
                for (let n = r.u32(); n > 0; n--) {
                    readMemoryType(r);
                    info.memoryCount++;
                }
                break;
            case SectionId.Tag:
                throw new WasmDecodeError('exception handling (tag section) is not supported', section.start);
            case SectionId.Global:
                for (let n = r.u32(); n > 0; n--) {
                    const { type, mutable } = readGlobalType(r);
                    skipConstExpr(r);
                    info.globals.push({ index: info.globals.length, type, mutable, imported: false });
                }
                break;
            case SectionId.Export:
                for (let n = r.u32(); n > 0; n--) {
                    const name = r.name();
                    const kindAt = r.pos;
                    const kind = EXTERNAL_KINDS[r.u8()];
                    if (!kind) throw new WasmDecodeError('unsupported export kind', kindAt);
                    info.exports.push({ name, kind, index: r.u32() });
                }
                break;
            case SectionId.Start:
                info.startFunction = r.u32();
                break;
            default:
                continue;
        }
        if (r.pos !== section.end) throw new WasmDecodeError(`section ${section.id} has trailing bytes`, r.pos);
    }
    if (info.memoryCount > 1) {
        throw new WasmDecodeError('multiple memories are not supported', 0);
    }
    const functionCount = info.importedFunctionCount + info.definedFunctionTypes.length;
    for (const typeIndex of info.definedFunctionTypes) {
        if (typeIndex >= info.typeParamCounts.length) throw new WasmDecodeError('function type index out of range', 0);
    }
    if (info.startFunction !== undefined && info.startFunction >= functionCount) {
        throw new WasmDecodeError('start function index out of range', 0);
    }
    return info;
}

function readTypes(r: ByteReader, paramCounts: number[]): void {
    for (let n = r.u32(); n > 0; n--) {
        const formAt = r.pos;
        const form = r.u8();
        if (form !== 0x60) {
            throw new WasmDecodeError(`unsupported type form 0x${form.toString(16)} (only function types)`, formAt);
        }
        const params = r.u32();
        for (let i = 0; i < params; i++) checkValType(r.u8(), r.pos - 1);
        const results = r.u32();
        for (let i = 0; i < results; i++) checkValType(r.u8(), r.pos - 1);
        paramCounts.push(params);
    }
}

function readImports(
    r: ByteReader,
    info: {
        imports: ModuleImport[];
        importedFunctionCount: number;
        importedTableCount: number;
        memoryCount: number;
        memoryImported: boolean;
        globals: GlobalInfo[];
    }
): void {
    for (let n = r.u32(); n > 0; n--) {
        const module = r.name();
        const name = r.name();
        const kindAt = r.pos;
        const kindCode = r.u8();
        switch (kindCode) {
            case 0:
                r.u32();
                info.importedFunctionCount++;
                break;
            case 1:
                readTableType(r);
                info.importedTableCount++;
                break;
            case 2:
                readMemoryType(r);
                info.memoryCount++;
                info.memoryImported = true;
                break;
            case 3: {
                const { type, mutable } = readGlobalType(r);
                info.globals.push({ index: info.globals.length, type, mutable, imported: true });
                break;
            }
            default:
                throw new WasmDecodeError(`unsupported import kind ${kindCode}`, kindAt);
        }
        info.imports.push({ module, name, kind: EXTERNAL_KINDS[kindCode]! });
    }
}

function readMemoryType(r: ByteReader): void {
    const at = r.pos;
    const flags = r.u8();
    if (flags & 0x04) throw new WasmDecodeError('memory64 is not supported', at);
    if (flags & 0x02) throw new WasmDecodeError('shared memory (threads) is not supported', at);
    if (flags > 0x01) throw new WasmDecodeError(`unsupported memory limits flags 0x${flags.toString(16)}`, at);
    r.u32();
    if (flags & 0x01) r.u32();
}

function readTableType(r: ByteReader): void {
    const typeAt = r.pos;
    if (!isRefType(r.u8())) throw new WasmDecodeError('unsupported table element type', typeAt);
    const at = r.pos;
    const flags = r.u8();
    if (flags > 0x01) throw new WasmDecodeError(`unsupported table limits flags 0x${flags.toString(16)} (table64?)`, at);
    r.u32();
    if (flags & 0x01) r.u32();
}

function readGlobalType(r: ByteReader): { type: ValType; mutable: boolean } {
    const type = checkValType(r.u8(), r.pos - 1);
    const mutAt = r.pos;
    const mut = r.u8();
    if (mut > 1) throw new WasmDecodeError('invalid global mutability', mutAt);
    return { type, mutable: mut === 1 };
}
