/**
 * SHA-256 whose running state can be stored between messages: an upload session hashes each chunk
 * as it arrives and keeps the state in stable memory, so a 100 MB file is never hashed in one
 * message and a session survives an upgrade. Uses fast-sha256 (about 15K instructions per byte in
 * Azle, against 26K for @noble/hashes): the state is saved only at 64-byte block boundaries.
 */
import { Hash } from 'fast-sha256';

/** 8 state words (big-endian) followed by the bytes hashed so far (u64 big-endian): 40 bytes. */
export const HASH_STATE_LENGTH = 40;

export function initialHashState(): Uint8Array {
    return saveState(new Hash(), 0);
}

function saveState(hash: Hash, bytesHashed: number): Uint8Array {
    const words = new Uint32Array(8);
    hash._saveState(words);
    const out = new Uint8Array(HASH_STATE_LENGTH);
    const view = new DataView(out.buffer);
    words.forEach((word, i) => view.setUint32(i * 4, word));
    view.setUint32(32, Math.floor(bytesHashed / 0x1_0000_0000));
    view.setUint32(36, bytesHashed % 0x1_0000_0000);
    return out;
}

function restore(state: Uint8Array): { hash: Hash; bytesHashed: number } {
    if (state.length !== HASH_STATE_LENGTH) throw new Error('invalid hash state');
    const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
    const words = new Uint32Array(8);
    for (let i = 0; i < 8; i++) words[i] = view.getUint32(i * 4);
    const bytesHashed = view.getUint32(32) * 0x1_0000_0000 + view.getUint32(36);
    const hash = new Hash();
    hash._restoreState(words, bytesHashed);
    return { hash, bytesHashed };
}

/** Hashes a chunk whose length is a multiple of 64 and returns the new state. */
export function absorb(state: Uint8Array, chunk: Uint8Array): Uint8Array {
    if (chunk.length % 64 !== 0) throw new Error('only whole 64-byte blocks can be absorbed between messages');
    const { hash, bytesHashed } = restore(state);
    hash.update(chunk);
    return saveState(hash, bytesHashed + chunk.length);
}

/** Hashes the final chunk (any length) and returns the digest. */
export function finish(state: Uint8Array, lastChunk: Uint8Array): Uint8Array {
    const { hash } = restore(state);
    hash.update(lastChunk);
    return hash.digest();
}
