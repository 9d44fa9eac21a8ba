/**
 * Stable-map serializer for ASCII strings (keys and JSON records). Azle's TextEncoder and
 * TextDecoder are JavaScript polyfills costing thousands of instructions per character; the
 * canisters store ASCII only (ids, media types, hex, numbers, and free text through asciiJson),
 * so a byte per character needs no encoding step. A non-ASCII character is a programming error
 * and throws.
 */
export interface AsciiCodec {
    toBytes(text: string): Uint8Array;
    fromBytes(bytes: Uint8Array): string;
}

/** `text → its bytes` through native code, for printable ASCII; undefined for anything else. */
export type NativeAsciiEncoder = (text: string) => Uint8Array | undefined;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Below this length a JavaScript loop costs no more than the native call and its checks. */
const NATIVE_MIN_LENGTH = 8;

/**
 * A NativeAsciiEncoder over a Candid text encoder (Azle's `candidEncode`, implemented in Rust):
 * `("…")` encodes to DIDL ‖ 0 types ‖ 1 value ‖ 0x71 (text) ‖ leb128 length ‖ the bytes. Inside
 * Azle a JavaScript loop costs about 3,000 instructions per character (charCodeAt and a
 * typed-array write); this costs about 900 (the printable check, the call, quotes escaped).
 */
export function candidTextAsciiEncoder(candidEncode: (literal: string) => Uint8Array): NativeAsciiEncoder {
    return (text) => {
        if (text.length < NATIVE_MIN_LENGTH || !PRINTABLE_ASCII.test(text)) return undefined;
        const literal = text.indexOf('"') < 0 && text.indexOf('\\') < 0 ? text : text.replace(/["\\]/g, '\\$&');
        const encoded = candidEncode(`("${literal}")`);
        const start = encoded.length - text.length;
        // The value starts after the 7-byte header and the length's leb128 (1–3 bytes here).
        if (start < 8 || start > 10 || encoded[6] !== 0x71) return undefined;
        return encoded.subarray(start);
    };
}

/** An AsciiCodec; `native` (inside Azle) takes the long printable strings. */
export function createAsciiCodec(native?: NativeAsciiEncoder): AsciiCodec {
    return {
        toBytes(text: string): Uint8Array {
            const fast = native?.(text);
            if (fast !== undefined) return fast;
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
}

/** The codec without native help (Node, tests, cold paths). */
export const asciiCodec: AsciiCodec = createAsciiCodec();

/** JSON.stringify with every non-ASCII character escaped (\uXXXX), so it can use asciiCodec. */
export function asciiJson(value: unknown): string {
    return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
