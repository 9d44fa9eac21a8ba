import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absorb, finish, initialHashState, HASH_STATE_LENGTH } from '../src/resumableSha256';

describe('resumable SHA-256', () => {
    it('matches Node crypto for any content split into 64-byte-aligned chunks, state saved in between', () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 20 }), (content, blocks) => {
                const chunkSize = blocks * 64;
                let state = initialHashState();
                let offset = 0;
                while (content.length - offset > chunkSize) {
                    state = Uint8Array.from(absorb(state, content.subarray(offset, offset + chunkSize)));
                    expect(state.length).toBe(HASH_STATE_LENGTH);
                    offset += chunkSize;
                }
                const digest = finish(state, content.subarray(offset));
                expect(Buffer.from(digest).toString('hex')).toBe(createHash('sha256').update(content).digest('hex'));
            }),
            { numRuns: 300 }
        );
    });

    it('refuses to save state in the middle of a block', () => {
        expect(() => absorb(initialHashState(), new Uint8Array(65))).toThrow(/64-byte/);
        expect(() => finish(new Uint8Array(10), new Uint8Array(1))).toThrow(/invalid hash state/);
    });
});
