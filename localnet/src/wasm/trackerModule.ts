/**
 * The dirty-page tracker: a tiny hand-assembled wasm module with its own memory (the canister's
 * memory cannot hold it and Node 20 has no multi-memory). Layout of its memory:
 *   [0, BITMAP_BYTES)                 one bit per 4 KiB page of a 4 GiB memory
 *   [LIST_OFFSET, + 4 * MAX_PAGES)    append-only list of page indices, in first-write order
 * Exports: `mark(addr i32, len i32)`, `memory`, `count` (mutable i32, entries in the list).
 *
 * `mark` treats addr and len as unsigned, computes the last page in 64 bits and clamps it to the
 * 4 GiB range, so it never traps: marks for writes that then trap out of bounds are harmless.
 */
import { ByteWriter } from './byteWriter';
import { WASM_HEADER } from './moduleSections';
import { MAX_PAGES, PAGE_SHIFT } from './pages';

export const BITMAP_BYTES = MAX_PAGES / 8;
export const LIST_OFFSET = BITMAP_BYTES;
const WASM_PAGE = 65536;
const MEMORY_PAGES = (BITMAP_BYTES + 4 * MAX_PAGES) / WASM_PAGE;

export function trackerModuleBytes(): Uint8Array<ArrayBuffer> {
    const out = new ByteWriter(512);
    out.bytes(WASM_HEADER);
    section(out, 1, (w) => w.bytes([1, 0x60, 2, 0x7f, 0x7f, 0])); // type 0: (i32 i32) -> ()
    section(out, 3, (w) => w.bytes([1, 0])); // func 0: type 0
    section(out, 5, (w) => {
        w.bytes([1, 0x01]);
        w.u32(MEMORY_PAGES);
        w.u32(MEMORY_PAGES);
    });
    section(out, 6, (w) => w.bytes([1, 0x7f, 0x01, 0x41, 0x00, 0x0b])); // count: mut i32 = 0
    section(out, 7, (w) => {
        w.u32(3);
        w.name('mark');
        w.bytes([0x00, 0]);
        w.name('memory');
        w.bytes([0x02, 0]);
        w.name('count');
        w.bytes([0x03, 0]);
    });
    section(out, 10, (w) => {
        w.u32(1);
        const body = markBody();
        w.u32(body.length);
        w.bytes(body);
    });
    return out.toBytes();
}

function section(out: ByteWriter, id: number, write: (w: ByteWriter) => void): void {
    out.u8(id);
    const size = out.reserveU32();
    write(out);
    out.patchLengthSince(size);
}

// params: 0 addr, 1 len; locals: 2 page, 3 last, 4 byte address, 5 bit mask
function markBody(): Uint8Array {
    const w = new ByteWriter(256);
    const [ADDR, LEN, PAGE, LAST, BYTE, BIT] = [0, 1, 2, 3, 4, 5];
    const get = (i: number): void => w.bytes([0x20, i]);
    const set = (i: number): void => w.bytes([0x21, i]);
    const tee = (i: number): void => w.bytes([0x22, i]);
    const i32 = (v: number): void => {
        w.u8(0x41);
        w.signed(v);
    };
    w.bytes([1, 4, 0x7f]); // 4 i32 locals

    // if len == 0: return
    get(LEN);
    w.bytes([0x45, 0x04, 0x40, 0x0f, 0x0b]);
    // last = min((u64(addr) + u64(len) - 1) >> PAGE_SHIFT, MAX_PAGES - 1)
    get(ADDR);
    w.u8(0xad); // i64.extend_i32_u
    get(LEN);
    w.u8(0xad);
    w.u8(0x7c); // i64.add
    w.bytes([0x42, 1, 0x7d]); // i64.const 1; i64.sub
    w.bytes([0x42, PAGE_SHIFT, 0x88]); // i64.shr_u
    w.u8(0xa7); // i32.wrap_i64
    tee(LAST);
    i32(MAX_PAGES - 1);
    w.bytes([0x4b, 0x04, 0x40]); // i32.gt_u; if
    i32(MAX_PAGES - 1);
    set(LAST);
    w.u8(0x0b);
    // page = addr >> PAGE_SHIFT
    get(ADDR);
    i32(PAGE_SHIFT);
    w.u8(0x76);
    set(PAGE);
    w.bytes([0x03, 0x40]); // loop
    // if (bitmap[page >> 3] & (1 << (page & 7))) == 0
    get(PAGE);
    i32(3);
    w.u8(0x76);
    tee(BYTE);
    w.bytes([0x2d, 0, 0]); // i32.load8_u
    i32(1);
    get(PAGE);
    i32(7);
    w.u8(0x71); // i32.and
    w.u8(0x74); // i32.shl
    tee(BIT);
    w.bytes([0x71, 0x45, 0x04, 0x40]); // i32.and; i32.eqz; if
    // bitmap[byte] |= bit
    get(BYTE);
    get(BYTE);
    w.bytes([0x2d, 0, 0]);
    get(BIT);
    w.u8(0x72); // i32.or
    w.bytes([0x3a, 0, 0]); // i32.store8
    // list[count] = page; count++
    w.bytes([0x23, 0]);
    i32(2);
    w.u8(0x74);
    get(PAGE);
    w.bytes([0x36, 2]); // i32.store align=4
    w.u32(LIST_OFFSET);
    w.bytes([0x23, 0]);
    i32(1);
    w.bytes([0x6a, 0x24, 0]); // i32.add; global.set count
    w.u8(0x0b); // end if
    // while (++page <= last)
    get(PAGE);
    i32(1);
    w.u8(0x6a);
    tee(PAGE);
    get(LAST);
    w.bytes([0x4d, 0x0d, 0]); // i32.le_u; br_if 0
    w.u8(0x0b); // end loop
    w.u8(0x0b); // end function
    return w.toBytes();
}
