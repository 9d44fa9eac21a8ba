/**
 * Rewrites one function body: decodes every instruction once (validating that we understand it),
 * records where code must be inserted, then copies the original bytes with those insertions
 * spliced in. Nothing in the original code changes, only insertions, so branch depths, indices
 * and unreachable-code typing stay valid.
 *
 * Insertions:
 *  - metering: at the start of every basic block, `counter += <static cost of the block>`, using
 *    the IC's block boundaries and weights (see docs/metering.md); at function entry and loop
 *    headers additionally `if counter > limit: unreachable`;
 *  - before every store: report [address + offset, width) to the dirty-page tracker unless it lies
 *    within the cached page;
 *  - before memory.fill/copy/init: a call that charges the length and reports the destination
 *    range; before table.fill/copy/init: a call that charges the length.
 */
import { ByteReader, WasmDecodeError } from './byteReader';
import { ByteWriter, encodeU32 } from './byteWriter';
import { BASE_OPCODE_COST, FUNCTION_ENTRY_COST, MISC_OPCODE_COST } from './instructionCosts';
import { PAGE_SHIFT, PAGE_SIZE } from './pages';
import { SIMD_BY_CODE, SimdImmediate } from './simdOpcodes';
import { checkValType, isRefType, ValType } from './valueTypes';

/** Indices of what the instrumentation appends to the module. */
export interface InjectedIndices {
    readonly counterGlobal: number;
    readonly limitGlobal: number;
    readonly cacheGlobal: number;
    /** (addr i32, len i32) -> (): records a written range and updates the cache. */
    readonly markFunction: number;
    /** (len i32) -> (len i32): charges a table bulk operation. */
    readonly tableBulkFunction: number;
    /** (dst, x, len) -> (dst, x, len): charges a memory bulk operation and records its destination. */
    readonly memoryBulkFunction: number;
}

const enum Edit {
    Charge,
    ChargeAndCheck,
    Store,
    MemoryBulk,
    TableBulk
}

// Scratch locals a body may need, in allocation order.
const enum Slot {
    Address,
    Effective,
    I32,
    I64,
    F32,
    F64,
    V128
}
const SLOT_TYPES: readonly ValType[] = [
    ValType.I32,
    ValType.I32,
    ValType.I32,
    ValType.I64,
    ValType.F32,
    ValType.F64,
    ValType.V128
];

// i32.store, i64.store, f32.store, f64.store, i32.store8, i32.store16, i64.store8, i64.store16, i64.store32
const STORE_WIDTH = [4, 8, 4, 8, 1, 2, 1, 2, 4];
const STORE_SLOT = [Slot.I32, Slot.I64, Slot.F32, Slot.F64, Slot.I32, Slot.I32, Slot.I64, Slot.I64, Slot.I64];

// Prefix bytes are costed by their sub-opcode instead.
const OPCODE_COST: Uint16Array = (() => {
    const cost = BASE_OPCODE_COST.slice();
    cost[0xfc] = 0;
    cost[0xfd] = 0;
    return cost;
})();

// Single-byte opcodes without immediates and without control-flow meaning.
const PLAIN_OPCODE: Uint8Array = (() => {
    const plain = new Uint8Array(256);
    for (let op = 0x45; op <= 0xc4; op++) plain[op] = 1; // numeric, conversions, sign extension
    plain[0x01] = 1; // nop
    plain[0x1a] = 1; // drop
    plain[0x1b] = 1; // select
    plain[0xd1] = 1; // ref.is_null
    return plain;
})();

export class BodyRewriter {
    private readonly globalGetCounter: Uint8Array;
    private readonly globalSetCounterAfterAdd: Uint8Array;
    private readonly limitCheck: Uint8Array;
    private readonly globalGetCache: Uint8Array;
    private readonly callMark: Uint8Array;
    private readonly callMemoryBulk: Uint8Array;
    private readonly callTableBulk: Uint8Array;

    // Edit list, reused across bodies.
    private capacity = 1024;
    private count = 0;
    private pos = new Int32Array(this.capacity);
    private kind = new Int32Array(this.capacity);
    private argA = new Int32Array(this.capacity);
    private argB = new Int32Array(this.capacity);
    private argC = new Int32Array(this.capacity);
    private readonly slotIndex = new Int32Array(7);
    private slotsUsed = 0;

    constructor(indices: InjectedIndices) {
        const counter = encodeU32(indices.counterGlobal);
        const limit = encodeU32(indices.limitGlobal);
        this.globalGetCounter = new Uint8Array([0x23, ...counter]);
        this.globalSetCounterAfterAdd = new Uint8Array([0x7c, 0x24, ...counter]); // i64.add; global.set
        // global.get counter; global.get limit; i64.gt_s; if; unreachable; end
        this.limitCheck = new Uint8Array([0x23, ...counter, 0x23, ...limit, 0x55, 0x04, 0x40, 0x00, 0x0b]);
        this.globalGetCache = new Uint8Array([0x23, ...encodeU32(indices.cacheGlobal)]);
        this.callMark = new Uint8Array([0x10, ...encodeU32(indices.markFunction)]);
        this.callMemoryBulk = new Uint8Array([0x10, ...encodeU32(indices.memoryBulkFunction)]);
        this.callTableBulk = new Uint8Array([0x10, ...encodeU32(indices.tableBulkFunction)]);
    }

    /** Writes the instrumented version of the body `input[start, end)` (without its size prefix). */
    rewrite(input: Uint8Array, start: number, end: number, paramCount: number, out: ByteWriter): void {
        const r = new ByteReader(input, start, end);
        const declCount = r.u32();
        const declStart = r.pos;
        let localCount = paramCount;
        for (let i = 0; i < declCount; i++) {
            localCount += r.u32();
            checkValType(r.u8(), r.pos - 1);
        }
        const codeStart = r.pos;
        const slotsUsed = this.scan(r);

        let newDecls = 0;
        for (let slot = 0; slot < SLOT_TYPES.length; slot++) {
            if (slotsUsed & (1 << slot)) this.slotIndex[slot] = localCount + newDecls++;
        }
        out.u32(declCount + newDecls);
        out.copy(input, declStart, codeStart);
        for (let slot = 0; slot < SLOT_TYPES.length; slot++) {
            if (slotsUsed & (1 << slot)) {
                out.u8(1);
                out.u8(SLOT_TYPES[slot]!);
            }
        }
        this.emit(input, codeStart, end, out);
    }

    /** Decodes the instruction stream, recording edits. Returns the bit set of scratch slots needed. */
    private scan(r: ByteReader): number {
        const bytes = r.bytes;
        const end = r.end;
        this.count = 0;
        this.slotsUsed = 0;
        let block = this.push(r.pos, Edit.ChargeAndCheck);
        let cost = FUNCTION_ENTRY_COST;
        let blockKind = Edit.Charge;
        let splits = false;
        let depth = 1; // open blocks, the function body included

        while (r.pos < end) {
            const at = r.pos;
            const op = bytes[r.pos++]!;
            cost += OPCODE_COST[op]!;
            switch (op) {
                case 0x02: // block
                    skipBlockType(r);
                    depth++;
                    break;
                case 0x03: // loop: its body is re-entered, so it gets the limit check
                    skipBlockType(r);
                    depth++;
                    blockKind = Edit.ChargeAndCheck;
                    splits = true;
                    break;
                case 0x04: // if
                    skipBlockType(r);
                    depth++;
                    splits = true;
                    break;
                case 0x0b: // end
                    if (--depth === 0 && r.pos !== end) {
                        throw new WasmDecodeError('instructions after the end of the function body', r.pos);
                    }
                    splits = true;
                    break;
                case 0x00: // unreachable
                case 0x05: // else
                case 0x0f: // return
                    splits = true;
                    break;
                case 0x0c: // br
                case 0x0d: // br_if
                case 0x12: // return_call
                    r.u32();
                    splits = true;
                    break;
                case 0x0e: {
                    // br_table
                    for (let n = r.u32(); n >= 0; n--) r.u32();
                    splits = true;
                    break;
                }
                case 0x13: // return_call_indirect
                    r.u32();
                    r.u32();
                    splits = true;
                    break;
                case 0x10: // call
                    r.u32();
                    break;
                case 0x11: // call_indirect
                    r.u32();
                    r.u32();
                    break;
                case 0x1c: {
                    // typed select
                    for (let n = r.u32(); n > 0; n--) checkValType(r.u8(), r.pos - 1);
                    break;
                }
                case 0x20:
                case 0x21:
                case 0x22:
                case 0x23:
                case 0x24:
                case 0x25:
                case 0x26:
                    r.u32();
                    break;
                case 0x3f: // memory.size
                case 0x40: // memory.grow
                    readMemoryIndex(r);
                    break;
                case 0x41:
                    r.skipLeb(5);
                    break;
                case 0x42:
                    r.skipLeb(10);
                    break;
                case 0x43:
                    r.skip(4);
                    break;
                case 0x44:
                    r.skip(8);
                    break;
                case 0xd0: {
                    const typeAt = r.pos;
                    if (!isRefType(r.u8())) throw new WasmDecodeError('unsupported heap type in ref.null', typeAt);
                    break;
                }
                case 0xd2: // ref.func
                    r.u32();
                    break;
                case 0xfc:
                    cost += this.scanMisc(r, at);
                    break;
                case 0xfd:
                    cost += this.scanSimd(r, at);
                    break;
                case 0xfe:
                    throw new WasmDecodeError('threads/atomics (0xFE prefix) are not supported', at);
                default:
                    if (op >= 0x28 && op <= 0x35) {
                        skipMemArg(r);
                    } else if (op >= 0x36 && op <= 0x3e) {
                        const offset = skipMemArg(r);
                        const slot = STORE_SLOT[op - 0x36]!;
                        this.pushStore(at, STORE_WIDTH[op - 0x36]!, slot, offset);
                    } else if (PLAIN_OPCODE[op] !== 1) {
                        throw new WasmDecodeError(`unsupported opcode 0x${op.toString(16)}`, at);
                    }
            }
            if (splits) {
                // The block's cost (including the terminating instruction) is charged at its start.
                this.argA[block] = cost;
                block = this.push(r.pos, blockKind);
                cost = 0;
                blockKind = Edit.Charge;
                splits = false;
            }
        }
        if (depth !== 0) throw new WasmDecodeError('function body does not end with `end`', end);
        this.argA[block] = cost;
        return this.slotsUsed;
    }

    /** 0xFC prefix: saturating truncations, bulk memory, table operations. Returns the static cost. */
    private scanMisc(r: ByteReader, at: number): number {
        const sub = r.u32();
        switch (sub) {
            case 0:
            case 1:
            case 2:
            case 3:
            case 4:
            case 5:
            case 6:
            case 7:
                break;
            case 8: // memory.init data mem
                r.u32();
                readMemoryIndex(r);
                this.push(at, Edit.MemoryBulk);
                break;
            case 10: // memory.copy dst-mem src-mem
                readMemoryIndex(r);
                readMemoryIndex(r);
                this.push(at, Edit.MemoryBulk);
                break;
            case 11: // memory.fill mem
                readMemoryIndex(r);
                this.push(at, Edit.MemoryBulk);
                break;
            case 12: // table.init elem table
            case 14: // table.copy dst src
                r.u32();
                r.u32();
                this.push(at, Edit.TableBulk);
                break;
            case 17: // table.fill table
                r.u32();
                this.push(at, Edit.TableBulk);
                break;
            case 9: // data.drop
            case 13: // elem.drop
            case 15: // table.grow
            case 16: // table.size
                r.u32();
                break;
            default:
                throw new WasmDecodeError(`unsupported 0xFC sub-opcode ${sub}`, at);
        }
        return MISC_OPCODE_COST[sub]!;
    }

    /** 0xFD prefix (SIMD). Returns the static cost. */
    private scanSimd(r: ByteReader, at: number): number {
        const sub = r.u32();
        const info = sub < 256 ? SIMD_BY_CODE[sub] : undefined;
        if (!info) throw new WasmDecodeError(`unsupported SIMD sub-opcode 0x${sub.toString(16)}`, at);
        switch (info.immediate) {
            case SimdImmediate.Lane:
                r.skip(1);
                break;
            case SimdImmediate.Bytes16:
                r.skip(16);
                break;
            case SimdImmediate.MemArg:
            case SimdImmediate.MemArgLane: {
                const offset = skipMemArg(r);
                if (info.immediate === SimdImmediate.MemArgLane) r.skip(1);
                if (info.storeWidth !== 0) this.pushStore(at, info.storeWidth, Slot.V128, offset);
                break;
            }
        }
        return info.cost;
    }

    private emit(input: Uint8Array, codeStart: number, end: number, out: ByteWriter): void {
        let from = codeStart;
        for (let i = 0; i < this.count; i++) {
            const at = this.pos[i]!;
            out.copy(input, from, at);
            from = at;
            switch (this.kind[i] as Edit) {
                case Edit.Charge:
                    if (this.argA[i] !== 0) this.emitCharge(this.argA[i]!, out);
                    break;
                case Edit.ChargeAndCheck:
                    if (this.argA[i] !== 0) this.emitCharge(this.argA[i]!, out);
                    out.bytes(this.limitCheck);
                    break;
                case Edit.Store:
                    this.emitStore(this.argA[i]!, this.argB[i]!, this.argC[i]! >>> 0, out);
                    break;
                case Edit.MemoryBulk:
                    out.bytes(this.callMemoryBulk);
                    break;
                case Edit.TableBulk:
                    out.bytes(this.callTableBulk);
                    break;
            }
        }
        out.copy(input, from, end);
    }

    private emitCharge(cost: number, out: ByteWriter): void {
        out.bytes(this.globalGetCounter);
        out.u8(0x42); // i64.const
        out.signed(cost);
        out.bytes(this.globalSetCounterAfterAdd);
    }

    /**
     * Stack on entry: [address, value]. Saves both, reports the range if it is not entirely
     * within the cached page, and restores the stack for the original store.
     */
    private emitStore(width: number, valueSlot: number, offset: number, out: ByteWriter): void {
        const value = this.slotIndex[valueSlot]!;
        const address = this.slotIndex[Slot.Address]!;
        const effective = offset === 0 ? address : this.slotIndex[Slot.Effective]!;
        out.u8(0x21); // local.set value
        out.u32(value);
        out.u8(0x22); // local.tee address
        out.u32(address);
        if (offset !== 0) {
            // Wraps on overflow; the store itself then traps, so a spurious mark is harmless.
            out.u8(0x41);
            out.signed(offset | 0);
            out.u8(0x6a); // i32.add
            out.u8(0x22);
            out.u32(effective);
        }
        out.u8(0x41); // i32.const PAGE_SHIFT
        out.u8(PAGE_SHIFT);
        out.u8(0x76); // i32.shr_u
        out.bytes(this.globalGetCache);
        out.u8(0x47); // i32.ne
        if (width > 1) {
            // ...or the store straddles into the next page.
            out.u8(0x20);
            out.u32(effective);
            out.u8(0x41);
            out.signed(PAGE_SIZE - 1);
            out.u8(0x71); // i32.and
            out.u8(0x41);
            out.signed(PAGE_SIZE - width);
            out.u8(0x4b); // i32.gt_u
            out.u8(0x72); // i32.or
        }
        out.u8(0x04); // if
        out.u8(0x40);
        out.u8(0x20);
        out.u32(effective);
        out.u8(0x41);
        out.u8(width);
        out.bytes(this.callMark);
        out.u8(0x0b); // end
        out.u8(0x20);
        out.u32(address);
        out.u8(0x20);
        out.u32(value);
    }

    private push(at: number, kind: Edit): number {
        if (this.count === this.capacity) this.grow();
        const i = this.count++;
        this.pos[i] = at;
        this.kind[i] = kind;
        this.argA[i] = 0;
        return i;
    }

    private pushStore(at: number, width: number, valueSlot: Slot, offset: number): void {
        this.slotsUsed |= (1 << Slot.Address) | (1 << valueSlot) | (offset !== 0 ? 1 << Slot.Effective : 0);
        const i = this.push(at, Edit.Store);
        this.argA[i] = width;
        this.argB[i] = valueSlot;
        this.argC[i] = offset | 0;
    }

    private grow(): void {
        this.capacity *= 2;
        const grow = (old: Int32Array): Int32Array<ArrayBuffer> => {
            const next = new Int32Array(this.capacity);
            next.set(old);
            return next;
        };
        this.pos = grow(this.pos);
        this.kind = grow(this.kind);
        this.argA = grow(this.argA);
        this.argB = grow(this.argB);
        this.argC = grow(this.argC);
    }
}

function skipBlockType(r: ByteReader): void {
    const at = r.pos;
    const first = r.bytes[at];
    if (first === 0x40) {
        r.pos++;
    } else if (first !== undefined && first >= 0x6f && first <= 0x7f) {
        checkValType(first, at);
        r.pos++;
    } else {
        // Type index (multi-value), encoded as a non-negative s33.
        if (r.signed(33) < 0) throw new WasmDecodeError('unsupported block type', at);
    }
}

/** Reads a memarg and returns its static offset; rejects explicit memory indices (multi-memory). */
function skipMemArg(r: ByteReader): number {
    const at = r.pos;
    const align = r.u32();
    if (align & 0x40) throw new WasmDecodeError('multiple memories are not supported (memarg with memory index)', at);
    return r.u32();
}

function readMemoryIndex(r: ByteReader): void {
    const at = r.pos;
    if (r.u32() !== 0) throw new WasmDecodeError('multiple memories are not supported', at);
}
