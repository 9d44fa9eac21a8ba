/**
 * Strict, single-pass percent-decoding (RFC 3986 §2.1). Written by hand because Azle's stable
 * mode has no URL, URLSearchParams or decodeURIComponent guarantees worth relying on for
 * untrusted input: any '%' not followed by two hex digits, and any byte sequence that is not
 * UTF-8, is an error rather than a guess.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

function hexValue(code: number): number {
    if (code >= 0x30 && code <= 0x39) return code - 0x30;
    if (code >= 0x41 && code <= 0x46) return code - 0x37;
    if (code >= 0x61 && code <= 0x66) return code - 0x57;
    return -1;
}

/** Decodes once; `plusIsSpace` applies form-encoding's '+' rule (query strings). */
export function percentDecode(input: string, plusIsSpace = false): string | undefined {
    if (!input.includes('%') && !(plusIsSpace && input.includes('+'))) return input;
    const bytes: number[] = [];
    let ascii = true;
    for (let i = 0; i < input.length; i++) {
        const code = input.charCodeAt(i);
        if (code === 0x25 /* % */) {
            const high = hexValue(input.charCodeAt(i + 1));
            const low = hexValue(input.charCodeAt(i + 2));
            if (high < 0 || low < 0) return undefined;
            const byte = high * 16 + low;
            if (byte >= 0x80) ascii = false;
            bytes.push(byte);
            i += 2;
        } else if (code === 0x2b /* + */ && plusIsSpace) {
            bytes.push(0x20);
        } else if (code < 0x80) {
            bytes.push(code);
        } else {
            // A raw non-ASCII character (not valid in a URL, but be exact): keep its UTF-8 bytes.
            ascii = false;
            for (const b of new TextEncoder().encode(input.slice(i, i + (code >= 0xd800 && code <= 0xdbff ? 2 : 1)))) {
                bytes.push(b);
            }
            if (code >= 0xd800 && code <= 0xdbff) i++;
        }
    }
    if (ascii) {
        let text = '';
        for (const b of bytes) text += String.fromCharCode(b);
        return text;
    }
    try {
        return utf8.decode(Uint8Array.from(bytes));
    } catch {
        return undefined;
    }
}
