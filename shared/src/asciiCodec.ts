/**
 * Stable-map serializer for ASCII strings (keys and JSON records). Azle's TextEncoder and
 * TextDecoder are JavaScript polyfills costing thousands of instructions per character; the
 * canisters store ASCII only (ids, media types, hex, numbers, and free text through asciiJson),
 * so a byte per character needs no encoding step. A non-ASCII character is a programming error
 * and throws.
 */
export const asciiCodec = {
    toBytes(text: string): Uint8Array {
        const bytes = new Uint8Array(text.length);
        for (let i = 0; i < text.length; i++) {
            const code = text.charCodeAt(i);
            if (code > 0x7f) throw new Error(`non-ASCII character in stored string at ${i}`);
            bytes[i] = code;
        }
        return bytes;
    },
    fromBytes(bytes: Uint8Array): string {
        // apply() over the typed array itself: the conversion runs in C, not per byte in JavaScript.
        let text = '';
        for (let i = 0; i < bytes.length; i += 4096) {
            text += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
        }
        return text;
    }
};

/** JSON.stringify with every non-ASCII character escaped (\uXXXX), so it can use asciiCodec. */
export function asciiJson(value: unknown): string {
    return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
