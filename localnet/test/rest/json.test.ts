import { JSONParse, JSONStringify } from 'json-with-bigint';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJson, stringifyJson } from '../../src/rest/json';

describe('parseJson', () => {
    it('parses ordinary JSON like JSON.parse', () => {
        const text = '{"a":[1,-2.5,3e2,true,false,null],"b":"x\\n\\u00e9\\"","c":{}, "d" : [ ] }';
        expect(parseJson(text)).toEqual(JSON.parse(text));
    });

    it('keeps integers beyond 2^53 exact as bigints', () => {
        expect(parseJson('{"nanos_since_epoch":1700000000123456789}')).toEqual({ nanos_since_epoch: 1_700_000_000_123_456_789n });
        expect(parseJson('340282366920938463463374607431768211455')).toBe(2n ** 128n - 1n);
        expect(parseJson('-9007199254740993')).toBe(-9007199254740993n);
        expect(parseJson('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('reads what PicJS writes (json-with-bigint)', () => {
        const sent = { nanos_since_epoch: 1_700_000_000_000_000_001n, amount: 2n ** 100n, small: 5n, s: '123n' };
        expect(parseJson(JSONStringify(sent))).toEqual({ ...sent, small: 5 });
    });

    it.each([
        ['', 'end of input'],
        ['{', 'property name'],
        ['{"a":1,}', 'property name'],
        ['[1,]', 'unexpected token'],
        ['[1 2]', "expected ','"],
        ['{"a" 1}', "expected ':'"],
        ['01', 'trailing'],
        ['"abc', 'unterminated'],
        ['"a\u0001b"', 'control character'],
        ['"\\x"', 'escape'],
        ['tru', 'unexpected token'],
        ['{"a":1} x', 'trailing'],
        ['NaN', 'unexpected token']
    ])('rejects %j', (text, problem) => {
        expect(() => parseJson(text)).toThrow(JsonSyntaxError);
        expect(() => parseJson(text)).toThrow(problem);
    });

    it('rejects hostile nesting without overflowing the stack', () => {
        expect(() => parseJson('['.repeat(100_000))).toThrow('nesting too deep');
    });

    it('treats a __proto__ member as data', () => {
        const parsed = parseJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
        expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
        expect(Object.keys(parsed)).toEqual(['__proto__']);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('handles multi-megabyte strings', () => {
        const big = 'A'.repeat(8 * 1024 * 1024);
        expect(parseJson(`{"payload":"${big}"}`)).toEqual({ payload: big });
    });
});

describe('stringifyJson', () => {
    it('writes bigints as exact integers that PicJS reads back', () => {
        const value = { nanos_since_epoch: 1_700_000_000_123_456_789n, cycles: 2n ** 127n, list: [1, 'a', null, true] };
        const text = stringifyJson(value);
        expect(text).toBe('{"nanos_since_epoch":1700000000123456789,"cycles":170141183460469231731687303715884105728,"list":[1,"a",null,true]}');
        expect(JSONParse(text)).toEqual(value);
    });

    it('matches JSON.stringify for plain values and drops undefined members', () => {
        const value = { a: 'x"y', b: [1.5, -2], c: { d: undefined, e: false } } as never;
        expect(stringifyJson(value)).toBe(JSON.stringify(value));
    });

    it('refuses non-finite numbers', () => {
        expect(() => stringifyJson(Number.NaN)).toThrow(TypeError);
    });
});
