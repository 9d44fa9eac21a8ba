/** Unsigned LEB128, the spec's encoding of natural numbers in the state tree (e.g. `/time`). */
export function encodeUnsignedLeb128(value: bigint | number): Uint8Array {
    let rest = BigInt(value);
    if (rest < 0n) throw new RangeError('LEB128 encodes natural numbers only');
    const bytes: number[] = [];
    do {
        const low = Number(rest & 0x7fn);
        rest >>= 7n;
        bytes.push(rest === 0n ? low : low | 0x80);
    } while (rest !== 0n);
    return Uint8Array.from(bytes);
}

export function decodeUnsignedLeb128(bytes: Uint8Array): bigint {
    let value = 0n;
    let shift = 0n;
    for (const [index, byte] of bytes.entries()) {
        value |= BigInt(byte & 0x7f) << shift;
        shift += 7n;
        if ((byte & 0x80) === 0) {
            if (index !== bytes.length - 1) throw new Error('trailing bytes after LEB128 number');
            return value;
        }
    }
    throw new Error('truncated LEB128 number');
}
