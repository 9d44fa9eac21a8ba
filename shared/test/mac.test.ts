import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, keyedMac } from '../src/mac';
import { sha256CompressSource } from '../scripts/generate-sha256-compress';

const nodeHmac = (key: Uint8Array, message: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(message).digest());

describe('keyedMac (precomputed pad states)', () => {
    it('equals Node’s HMAC-SHA256 for any key and message, across repeated calls', () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 150 }), fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 4 }), (key, messages) => {
                const mac = keyedMac(key);
                for (const message of messages) expect(mac(message)).toEqual(nodeHmac(key, message));
            }),
            { numRuns: 500 }
        );
    });

    it('handles every length around the padding boundaries (55, 56, 63, 64, 119, 120 bytes…)', () => {
        const key = new Uint8Array(32).fill(9);
        const mac = keyedMac(key);
        for (let length = 0; length <= 200; length++) {
            const message = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
            expect(mac(message)).toEqual(nodeHmac(key, message));
        }
    });

    it('returns a fresh array each call (callers may keep it)', () => {
        const mac = keyedMac(new Uint8Array(32));
        const first = mac(Uint8Array.of(1));
        const copy = Uint8Array.from(first);
        mac(Uint8Array.of(2));
        expect(first).toEqual(copy);
        expect(hmacSha256(new Uint8Array(32), Uint8Array.of(1))).toEqual(first);
    });
});

describe('sha256Compress.ts', () => {
    it('is the generator’s output (regenerate with npm run sha256 -w shared)', () => {
        const committed = readFileSync(fileURLToPath(new URL('../src/sha256Compress.ts', import.meta.url)), 'utf8');
        expect(committed).toBe(sha256CompressSource());
    });
});
