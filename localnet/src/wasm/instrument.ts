/**
 * Binary-to-binary instrumentation of canister wasm for localnet (see docs/metering.md):
 *  - IC-style instruction metering into an exported i64 counter, trapping past an exported limit;
 *  - dirty 4 KiB page reporting for every linear-memory write, so the host can roll memory back;
 *  - exports for snapshots: every mutable global, the memory, table 0; the start function.
 *
 * Only appends types, functions, a table, globals and exports, so no existing index shifts and
 * the name section and custom sections stay valid and are copied verbatim.
 */
import { ByteReader, WasmDecodeError } from './byteReader';
import { BodyRewriter } from './bodyRewriter';
import { ByteWriter } from './byteWriter';
import {
    type InjectedFunctionLayout,
    markFunctionBody,
    memoryBulkFunctionBody,
    tableBulkFunctionBody
} from './injectedFunctions';
import {
    ExportName,
    type InstrumentationExports,
    type InstrumentedModule,
    type MutableGlobalExport
} from './instrumentedModule';
import { type ModuleExport, type ModuleInfo, readModuleInfo } from './moduleInfo';
import { type RawSection, SectionId, sectionRank, splitSections, WASM_HEADER } from './moduleSections';
import { ValType, valTypeName } from './valueTypes';

export { PAGE_SIZE } from './pages';
export { ExportName } from './instrumentedModule';
export type { InstrumentationExports, InstrumentedModule, MutableGlobalExport } from './instrumentedModule';
export type { ModuleExport, ModuleImport } from './moduleInfo';
export { WasmDecodeError } from './byteReader';

const EXPORT_KIND_CODE = { function: 0, table: 1, memory: 2, global: 3 } as const;
const I64_MAX = (1n << 63n) - 1n;

export function instrumentModule(wasm: Uint8Array): InstrumentedModule {
    const sections = splitSections(wasm);
    const info = readModuleInfo(wasm, sections);
    for (const e of info.exports) {
        if (e.name.startsWith(ExportName.prefix)) {
            throw new WasmDecodeError(`export name "${e.name}" is reserved for localnet instrumentation`, 0);
        }
    }

    const layout = injectedLayout(info);
    const mutableGlobals = mutableGlobalExports(info);
    const { exportNames, added } = plannedExports(info, layout, mutableGlobals);

    const builders = new Map<number, (out: ByteWriter) => void>([
        [SectionId.Type, (out) => appendToVector(out, wasm, find(sections, SectionId.Type), 3, writeInjectedTypes)],
        [
            SectionId.Function,
            (out) =>
                appendToVector(out, wasm, find(sections, SectionId.Function), 3, (w) => {
                    w.u32(layout.markType);
                    w.u32(layout.markType + 1);
                    w.u32(layout.markType + 2);
                })
        ],
        [
            SectionId.Table,
            (out) =>
                appendToVector(out, wasm, find(sections, SectionId.Table), 1, (w) => {
                    w.bytes([ValType.FuncRef, 0x01, 0x01, 0x01]); // funcref, min 1, max 1
                })
        ],
        [SectionId.Global, (out) => appendToVector(out, wasm, find(sections, SectionId.Global), 3, writeInjectedGlobals)],
        [
            SectionId.Export,
            (out) =>
                appendToVector(out, wasm, find(sections, SectionId.Export), added.length, (w) => {
                    for (const e of added) {
                        w.name(e.name);
                        w.u8(EXPORT_KIND_CODE[e.kind]);
                        w.u32(e.index);
                    }
                })
        ],
        [SectionId.Code, (out) => writeCode(out, wasm, find(sections, SectionId.Code), info, layout)]
    ]);

    const out = new ByteWriter(Math.ceil(wasm.length * 1.6) + 1024);
    out.bytes(WASM_HEADER);
    const emitBuilt = (id: number): void => {
        out.u8(id);
        const size = out.reserveU32();
        builders.get(id)!(out);
        out.patchLengthSince(size);
    };
    const present = new Set(sections.map((s) => s.id));
    const missing = [...builders.keys()].filter((id) => !present.has(id)).sort((a, b) => sectionRank(a) - sectionRank(b));
    for (const section of sections) {
        if (section.id !== SectionId.Custom) {
            while (missing.length > 0 && sectionRank(missing[0]!) < sectionRank(section.id)) emitBuilt(missing.shift()!);
        }
        if (section.id === SectionId.Start) continue; // exported instead, see plannedExports
        if (builders.has(section.id)) {
            emitBuilt(section.id);
        } else {
            out.u8(section.id);
            out.u32(section.end - section.start);
            out.copy(wasm, section.start, section.end);
        }
    }
    for (const id of missing) emitBuilt(id);

    return {
        bytes: out.toBytes(),
        exportNames,
        mutableGlobals,
        imports: info.imports,
        exports: info.exports,
        customSections: sections.filter((s) => s.id === SectionId.Custom).map((s) => s.name!)
    };
}

function injectedLayout(info: ModuleInfo): InjectedFunctionLayout {
    const firstType = info.typeParamCounts.length;
    const firstFunction = info.importedFunctionCount + info.definedFunctionTypes.length;
    const firstGlobal = info.globals.length;
    return {
        markType: firstType,
        markFunction: firstFunction,
        tableBulkFunction: firstFunction + 1,
        memoryBulkFunction: firstFunction + 2,
        markTable: info.importedTableCount + info.definedTableCount,
        counterGlobal: firstGlobal,
        limitGlobal: firstGlobal + 1,
        cacheGlobal: firstGlobal + 2
    };
}

// Must match the type indices used in injectedLayout / the function section builder.
function writeInjectedTypes(w: ByteWriter): void {
    const I32 = ValType.I32;
    w.bytes([0x60, 2, I32, I32, 0]); // mark: (i32 i32) -> ()
    w.bytes([0x60, 1, I32, 1, I32]); // tableBulk: (i32) -> (i32)
    w.bytes([0x60, 3, I32, I32, I32, 3, I32, I32, I32]); // memoryBulk
}

function writeInjectedGlobals(w: ByteWriter): void {
    w.bytes([ValType.I64, 0x01, 0x42, 0x00, 0x0b]); // counter = 0
    w.bytes([ValType.I64, 0x01, 0x42]); // limit = i64::MAX until the host sets one
    w.signedBig(I64_MAX);
    w.u8(0x0b);
    w.bytes([ValType.I32, 0x01, 0x41, 0x7f, 0x0b]); // dirty cache = -1
}

function mutableGlobalExports(info: ModuleInfo): MutableGlobalExport[] {
    return info.globals
        .filter((g) => g.mutable)
        .map((g) => {
            if (g.type === ValType.V128) {
                // JS cannot read or write v128 globals, so the host could not snapshot it.
                throw new WasmDecodeError(`mutable v128 global ${g.index} cannot be snapshotted`, 0);
            }
            return {
                name: ExportName.global(g.index),
                index: g.index,
                type: valTypeName(g.type) as MutableGlobalExport['type']
            };
        });
}

function plannedExports(
    info: ModuleInfo,
    layout: InjectedFunctionLayout,
    mutableGlobals: readonly MutableGlobalExport[]
): { exportNames: InstrumentationExports; added: ModuleExport[] } {
    const added: ModuleExport[] = [];
    const exportOf = (kind: ModuleExport['kind'], index: number, fallback: string): string => {
        const existing = info.exports.find((e) => e.kind === kind && e.index === index);
        if (existing) return existing.name;
        added.push({ name: fallback, kind, index });
        return fallback;
    };
    const hasTable = info.importedTableCount + info.definedTableCount > 0;
    const exportNames: InstrumentationExports = {
        memory: info.memoryCount > 0 ? exportOf('memory', 0, ExportName.memory) : undefined,
        table: hasTable ? exportOf('table', 0, ExportName.table) : undefined,
        instructionCounter: ExportName.instructionCounter,
        instructionLimit: ExportName.instructionLimit,
        dirtyCache: ExportName.dirtyCache,
        dirtyMarkTable: ExportName.dirtyMarkTable,
        start: info.startFunction !== undefined ? ExportName.start : undefined
    };
    for (const g of mutableGlobals) added.push({ name: g.name, kind: 'global', index: g.index });
    added.push({ name: ExportName.instructionCounter, kind: 'global', index: layout.counterGlobal });
    added.push({ name: ExportName.instructionLimit, kind: 'global', index: layout.limitGlobal });
    added.push({ name: ExportName.dirtyCache, kind: 'global', index: layout.cacheGlobal });
    added.push({ name: ExportName.dirtyMarkTable, kind: 'table', index: layout.markTable });
    if (info.startFunction !== undefined) {
        added.push({ name: ExportName.start, kind: 'function', index: info.startFunction });
    }
    return { exportNames, added };
}

function writeCode(
    out: ByteWriter,
    wasm: Uint8Array,
    section: RawSection | undefined,
    info: ModuleInfo,
    layout: InjectedFunctionLayout
): void {
    const r = section ? new ByteReader(wasm, section.start, section.end) : undefined;
    const count = r ? r.u32() : 0;
    if (count !== info.definedFunctionTypes.length) {
        throw new WasmDecodeError('function and code section counts differ', section?.start ?? 0);
    }
    out.u32(count + 3);
    const rewriter = new BodyRewriter(layout);
    for (let i = 0; i < count; i++) {
        const size = r!.u32();
        const start = r!.pos;
        const end = start + size;
        if (end > r!.end) throw new WasmDecodeError('function body runs past the code section', start);
        const paramCount = info.typeParamCounts[info.definedFunctionTypes[i]!]!;
        const slot = out.reserveU32();
        rewriter.rewrite(wasm, start, end, paramCount, out);
        out.patchLengthSince(slot);
        r!.pos = end;
    }
    if (r && r.pos !== r.end) throw new WasmDecodeError('code section has trailing bytes', r.pos);
    for (const body of [markFunctionBody(layout), tableBulkFunctionBody(layout), memoryBulkFunctionBody(layout)]) {
        out.u32(body.length);
        out.bytes(body);
    }
}

/** Writes a vector section payload: the original entries verbatim, then `extra` new ones. */
function appendToVector(
    out: ByteWriter,
    wasm: Uint8Array,
    section: RawSection | undefined,
    extra: number,
    writeExtra: (w: ByteWriter) => void
): void {
    if (section) {
        const r = new ByteReader(wasm, section.start, section.end);
        out.u32(r.u32() + extra);
        out.copy(wasm, r.pos, section.end);
    } else {
        out.u32(extra);
    }
    writeExtra(out);
}

function find(sections: readonly RawSection[], id: number): RawSection | undefined {
    return sections.find((s) => s.id === id);
}
