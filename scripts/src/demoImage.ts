/**
 * Demo pictures for `npm run dev`, generated rather than shipped: a PNG encoder small enough to
 * read (8-bit RGB, one IDAT, filter 0) over Node's zlib. Deterministic: the same arguments give
 * the same bytes, so tests can compare what the gateway serves with what was uploaded.
 */
import { crc32, deflateSync } from 'node:zlib';

export interface DemoImageOptions {
    readonly width: number;
    readonly height: number;
    /** 0 gives a smooth gradient (compresses well); higher adds that much pseudo-random noise per channel. */
    readonly noise?: number;
    readonly seed?: number;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Buffer {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    out.set(data, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
}

export function demoPng({ width, height, noise = 0, seed = 1 }: DemoImageOptions): Uint8Array {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 8192 || height > 8192) {
        throw new RangeError(`image size must be 1..8192 pixels each way, not ${width}×${height}`);
    }
    let state = seed >>> 0 || 1;
    const random = () => {
        // xorshift32: cheap, deterministic noise (not for anything secret)
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) / 2 ** 32;
    };
    const rows = Buffer.alloc((width * 3 + 1) * height);
    for (let y = 0; y < height; y++) {
        const row = y * (width * 3 + 1);
        rows[row] = 0; // filter: none
        for (let x = 0; x < width; x++) {
            const jitter = () => (noise === 0 ? 0 : Math.floor((random() - 0.5) * noise));
            const clamp = (v: number) => Math.max(0, Math.min(255, v));
            const p = row + 1 + x * 3;
            rows[p] = clamp(Math.round((255 * x) / Math.max(1, width - 1)) + jitter());
            rows[p + 1] = clamp(Math.round((255 * y) / Math.max(1, height - 1)) + jitter());
            rows[p + 2] = clamp(160 + jitter());
        }
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
    return new Uint8Array(Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array(0))]));
}
