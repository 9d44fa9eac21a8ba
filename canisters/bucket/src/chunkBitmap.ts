/**
 * Which chunks of an upload session have arrived, as a bitmap in lowercase hex (stored in the
 * session record). Chunks arrive in any order; commit needs every bit set.
 */

export function emptyBitmap(chunkCount: number): string {
    return '00'.repeat(Math.ceil(chunkCount / 8));
}

export function hasChunk(bitmap: string, index: number): boolean {
    const byte = parseInt(bitmap.substr((index >> 3) * 2, 2), 16);
    return (byte & (1 << (index & 7))) !== 0;
}

export function withChunk(bitmap: string, index: number): string {
    const at = (index >> 3) * 2;
    const byte = parseInt(bitmap.substr(at, 2), 16) | (1 << (index & 7));
    return bitmap.slice(0, at) + byte.toString(16).padStart(2, '0') + bitmap.slice(at + 2);
}

/** Indexes present, ascending. */
export function chunksPresent(bitmap: string, chunkCount: number): number[] {
    const out: number[] = [];
    for (let index = 0; index < chunkCount; index++) if (hasChunk(bitmap, index)) out.push(index);
    return out;
}

/** The lowest index not yet present, or undefined when all are. */
export function firstMissing(bitmap: string, chunkCount: number): number | undefined {
    for (let index = 0; index < chunkCount; index++) if (!hasChunk(bitmap, index)) return index;
    return undefined;
}

/** A bitmap with the first `count` chunks present (sessions stored before chunks could arrive out of order). */
export function prefixBitmap(chunkCount: number, count: number): string {
    let bitmap = emptyBitmap(chunkCount);
    for (let index = 0; index < count; index++) bitmap = withChunk(bitmap, index);
    return bitmap;
}
