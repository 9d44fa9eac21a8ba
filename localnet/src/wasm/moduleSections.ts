/**
 * Splits a wasm binary into its sections without interpreting them, so the instrumentation can
 * rewrite a few sections and copy every other one (custom sections included) byte for byte.
 */
import { ByteReader, WasmDecodeError } from './byteReader';

export const SectionId = {
    Custom: 0,
    Type: 1,
    Import: 2,
    Function: 3,
    Table: 4,
    Memory: 5,
    Global: 6,
    Export: 7,
    Start: 8,
    Element: 9,
    Code: 10,
    Data: 11,
    DataCount: 12,
    Tag: 13
} as const;
export type SectionId = (typeof SectionId)[keyof typeof SectionId];

export interface RawSection {
    readonly id: number;
    /** Payload range (after the id byte and size) in the module bytes. */
    readonly start: number;
    readonly end: number;
    /** Only for custom sections. */
    readonly name?: string;
}

export const WASM_HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

export function splitSections(bytes: Uint8Array): RawSection[] {
    for (let i = 0; i < WASM_HEADER.length; i++) {
        if (bytes[i] !== WASM_HEADER[i]) {
            throw new WasmDecodeError('not a wasm 1.0 binary (bad magic or version)', i);
        }
    }
    const reader = new ByteReader(bytes, WASM_HEADER.length);
    const sections: RawSection[] = [];
    let lastRank = 0;
    while (!reader.atEnd) {
        const id = reader.u8();
        const size = reader.u32();
        const start = reader.pos;
        const end = start + size;
        if (end > bytes.length) throw new WasmDecodeError(`section ${id} runs past the end`, start);
        if (id === SectionId.Custom) {
            const nameReader = new ByteReader(bytes, start, end);
            sections.push({ id, start, end, name: nameReader.name() });
        } else {
            const rank = sectionRank(id);
            if (rank <= lastRank) throw new WasmDecodeError(`section ${id} is duplicated or out of order`, start - 1);
            lastRank = rank;
            sections.push({ id, start, end });
        }
        reader.pos = end;
    }
    return sections;
}

/** Position of a non-custom section in the binary's mandatory order. */
export function sectionRank(id: number): number {
    const rank = SECTION_ORDER.indexOf(id);
    if (rank < 0) throw new WasmDecodeError(`unknown section id ${id}`, 0);
    return rank + 1;
}

// DataCount sits between Element and Code; Tag (exception handling) between Memory and Global.
const SECTION_ORDER: readonly number[] = [
    SectionId.Type,
    SectionId.Import,
    SectionId.Function,
    SectionId.Table,
    SectionId.Memory,
    SectionId.Tag,
    SectionId.Global,
    SectionId.Export,
    SectionId.Start,
    SectionId.Element,
    SectionId.DataCount,
    SectionId.Code,
    SectionId.Data
];
