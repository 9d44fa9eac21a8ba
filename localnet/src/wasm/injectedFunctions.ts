/**
 * Bodies of the functions the instrumentation appends to a canister module. They are not metered
 * themselves (like the IC's injected helpers), so instrumentation never changes the count.
 */
import type { InjectedIndices } from './bodyRewriter';
import { ByteWriter } from './byteWriter';
import { PAGE_SHIFT } from './pages';

export interface InjectedFunctionLayout extends InjectedIndices {
    /** The appended funcref table whose slot 0 holds the tracker's `mark`. */
    readonly markTable: number;
    /** Type (i32 i32) -> (). */
    readonly markType: number;
}

/** `mark(addr, len)`: forwards to the tracker through the table, then caches the last page touched. */
export function markFunctionBody(layout: InjectedFunctionLayout): Uint8Array {
    const w = new ByteWriter(64);
    w.u32(0); // no locals
    getLocal(w, 0);
    getLocal(w, 1);
    w.u8(0x41); // i32.const 0: table slot
    w.u8(0x00);
    w.u8(0x11); // call_indirect type table
    w.u32(layout.markType);
    w.u32(layout.markTable);
    lastPageOfRange(w);
    w.u8(0x24); // global.set cache
    w.u32(layout.cacheGlobal);
    w.u8(0x0b);
    return w.toBytes();
}

/** `tableBulk(len) -> len`: charges `len` instructions and enforces the limit, like the IC's decr_instruction_counter. */
export function tableBulkFunctionBody(layout: InjectedFunctionLayout): Uint8Array {
    const w = new ByteWriter(64);
    w.u32(0);
    chargeLocal(w, layout, 0);
    getLocal(w, 0);
    w.u8(0x0b);
    return w.toBytes();
}

/**
 * `memoryBulk(dst, x, len) -> (dst, x, len)` for memory.fill (x = value), memory.copy (x = source)
 * and memory.init (x = segment offset): charges `len`, then records [dst, dst + len) unless it is
 * empty or within the cached page.
 */
export function memoryBulkFunctionBody(layout: InjectedFunctionLayout): Uint8Array {
    const w = new ByteWriter(128);
    w.u32(0);
    chargeLocal(w, layout, 2);
    getLocal(w, 2);
    w.u8(0x04); // if len != 0
    w.u8(0x40);
    // first page != cache
    getLocal(w, 0);
    w.u8(0x41);
    w.u8(PAGE_SHIFT);
    w.u8(0x76); // i32.shr_u
    w.u8(0x23);
    w.u32(layout.cacheGlobal);
    w.u8(0x47); // i32.ne
    // last page != cache
    lastPageOfRange(w, 2);
    w.u8(0x23);
    w.u32(layout.cacheGlobal);
    w.u8(0x47);
    w.u8(0x72); // i32.or
    w.u8(0x04);
    w.u8(0x40);
    getLocal(w, 0);
    getLocal(w, 2);
    w.u8(0x10);
    w.u32(layout.markFunction);
    w.u8(0x0b);
    w.u8(0x0b);
    getLocal(w, 0);
    getLocal(w, 1);
    getLocal(w, 2);
    w.u8(0x0b);
    return w.toBytes();
}

function getLocal(w: ByteWriter, index: number): void {
    w.u8(0x20);
    w.u32(index);
}

/** Pushes ((local 0) + (local lenLocal) - 1) >> PAGE_SHIFT. */
function lastPageOfRange(w: ByteWriter, lenLocal = 1): void {
    getLocal(w, 0);
    getLocal(w, lenLocal);
    w.u8(0x6a); // i32.add
    w.u8(0x41);
    w.u8(0x01);
    w.u8(0x6b); // i32.sub
    w.u8(0x41);
    w.u8(PAGE_SHIFT);
    w.u8(0x76); // i32.shr_u
}

/** counter += u64(local); if counter > limit: unreachable */
function chargeLocal(w: ByteWriter, layout: InjectedFunctionLayout, local: number): void {
    w.u8(0x23);
    w.u32(layout.counterGlobal);
    getLocal(w, local);
    w.u8(0xad); // i64.extend_i32_u
    w.u8(0x7c); // i64.add
    w.u8(0x24);
    w.u32(layout.counterGlobal);
    w.u8(0x23);
    w.u32(layout.counterGlobal);
    w.u8(0x23);
    w.u32(layout.limitGlobal);
    w.u8(0x55); // i64.gt_s
    w.u8(0x04);
    w.u8(0x40);
    w.u8(0x00); // unreachable
    w.u8(0x0b);
}
