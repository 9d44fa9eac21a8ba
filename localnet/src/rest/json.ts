/**
 * JSON with exact big integers. PocketIC encodes u64/u128 values (time in nanoseconds, cycles) as
 * plain JSON numbers that exceed Number.MAX_SAFE_INTEGER, and PicJS sends them the same way
 * (json-with-bigint). Native JSON.parse would round them, so requests are parsed here instead.
 */

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
    [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {
    override name = 'JsonSyntaxError';
}

/** Deeper documents are rejected instead of risking a stack overflow on hostile input. */
const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** Parses JSON; integers outside the safe range become bigints, everything else is as JSON.parse. */
export function parseJson(text: string): JsonValue {
    const parser = new Parser(text);
    const value = parser.value(0);
    parser.skipWhitespace();
    if (parser.pos !== text.length) {
        throw parser.error('unexpected trailing characters');
    }
    return value;
}

class Parser {
    pos = 0;
    constructor(private readonly text: string) {}

    error(what: string): JsonSyntaxError {
        return new JsonSyntaxError(`Invalid JSON at position ${this.pos}: ${what}`);
    }

    skipWhitespace(): void {
        const { text } = this;
        while (this.pos < text.length) {
            const c = text.charCodeAt(this.pos);
            if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
            this.pos++;
        }
    }

    value(depth: number): JsonValue {
        if (depth > MAX_DEPTH) throw this.error('nesting too deep');
        this.skipWhitespace();
        const c = this.text[this.pos];
        switch (c) {
            case '{':
                return this.object(depth);
            case '[':
                return this.array(depth);
            case '"':
                return this.string();
            case 't':
                return this.literal('true', true);
            case 'f':
                return this.literal('false', false);
            case 'n':
                return this.literal('null', null);
            case undefined:
                throw this.error('unexpected end of input');
            default:
                return this.number();
        }
    }

    private literal<T extends JsonValue>(word: string, value: T): T {
        if (!this.text.startsWith(word, this.pos)) throw this.error(`unexpected token`);
        this.pos += word.length;
        return value;
    }

    private number(): number | bigint {
        NUMBER.lastIndex = this.pos;
        const match = NUMBER.exec(this.text);
        if (!match) throw this.error('unexpected token');
        this.pos += match[0].length;
        const isInteger = match[1] === undefined && match[2] === undefined;
        const asNumber = Number(match[0]);
        if (isInteger && !Number.isSafeInteger(asNumber)) return BigInt(match[0]);
        return asNumber;
    }

    private string(): string {
        const { text } = this;
        const start = this.pos;
        let end = start + 1;
        let escaped = false;
        // Find the closing quote; large base64 payloads usually have no escapes and are sliced as is.
        for (;;) {
            const c = text.charCodeAt(end);
            if (Number.isNaN(c)) throw this.error('unterminated string');
            if (c === 0x22) break;
            if (c === 0x5c) {
                escaped = true;
                end += 2;
                continue;
            }
            if (c < 0x20) {
                this.pos = end;
                throw this.error('control character in string');
            }
            end++;
        }
        this.pos = end + 1;
        if (!escaped) return text.slice(start + 1, end);
        try {
            // The literal is delimited exactly; let the native parser handle escape sequences.
            return JSON.parse(text.slice(start, end + 1)) as string;
        } catch {
            this.pos = start;
            throw this.error('invalid escape sequence in string');
        }
    }

    private array(depth: number): JsonValue[] {
        this.pos++;
        const items: JsonValue[] = [];
        this.skipWhitespace();
        if (this.text[this.pos] === ']') {
            this.pos++;
            return items;
        }
        for (;;) {
            items.push(this.value(depth + 1));
            this.skipWhitespace();
            const c = this.text[this.pos++];
            if (c === ']') return items;
            if (c !== ',') throw this.error("expected ',' or ']'");
        }
    }

    private object(depth: number): JsonObject {
        this.pos++;
        const result: JsonObject = {};
        this.skipWhitespace();
        if (this.text[this.pos] === '}') {
            this.pos++;
            return result;
        }
        for (;;) {
            this.skipWhitespace();
            if (this.text[this.pos] !== '"') throw this.error('expected a property name');
            const key = this.string();
            this.skipWhitespace();
            if (this.text[this.pos++] !== ':') throw this.error("expected ':'");
            const value = this.value(depth + 1);
            // defineProperty so that a "__proto__" key stays plain data instead of changing the prototype.
            Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
            this.skipWhitespace();
            const c = this.text[this.pos++];
            if (c === '}') return result;
            if (c !== ',') throw this.error("expected ',' or '}'");
        }
    }
}

/** Serializes like JSON.stringify, but bigints are written as exact integer literals. */
export function stringifyJson(value: JsonValue): string {
    if (value === null) return 'null';
    switch (typeof value) {
        case 'boolean':
            return value ? 'true' : 'false';
        case 'number':
            if (!Number.isFinite(value)) throw new TypeError(`Cannot encode ${value} as JSON`);
            return String(value);
        case 'bigint':
            return value.toString();
        case 'string':
            return JSON.stringify(value);
    }
    if (Array.isArray(value)) return `[${value.map(stringifyJson).join(',')}]`;
    const members: string[] = [];
    for (const [key, member] of Object.entries(value)) {
        // Mirrors JSON.stringify, which drops undefined members (optional fields left unset).
        if (member === undefined) continue;
        members.push(`${JSON.stringify(key)}:${stringifyJson(member)}`);
    }
    return `{${members.join(',')}}`;
}
