/**
 * HTTP Range requests (RFC 9110 §14), single range only.
 *
 * Outcomes: a satisfiable single range → 206; a syntactically valid range that lies wholly past
 * the end → 416; everything else (absent, malformed, several ranges, another unit, an empty
 * representation) → the range is ignored and the whole representation is served (200), which the
 * RFC permits. See docs/http-interface.md for the table of cases.
 */

export type RangeIgnoredReason = 'absent' | 'malformed' | 'multiple' | 'unsupported_unit' | 'empty_representation';

export type RangeResult =
    | { readonly kind: 'ignore'; readonly reason: RangeIgnoredReason }
    /** Inclusive byte positions, start ≤ end < size. */
    | { readonly kind: 'partial'; readonly start: number; readonly end: number }
    | { readonly kind: 'unsatisfiable' };

/** Headers longer than this are treated as malformed before any parsing. */
export const MAX_RANGE_HEADER_LENGTH = 256;

/** Digit strings longer than this count as "larger than any size". */
const MAX_DIGITS = 15;

function parsePosition(digits: string): number | undefined {
    if (!/^[0-9]+$/.test(digits)) return undefined;
    return digits.length > MAX_DIGITS ? Number.POSITIVE_INFINITY : Number(digits);
}

export function parseRange(header: string | null | undefined, size: number): RangeResult {
    if (header === undefined || header === null) return { kind: 'ignore', reason: 'absent' };
    if (header.length > MAX_RANGE_HEADER_LENGTH) return { kind: 'ignore', reason: 'malformed' };
    const eq = header.indexOf('=');
    if (eq < 0) return { kind: 'ignore', reason: 'malformed' };
    if (header.slice(0, eq).trim().toLowerCase() !== 'bytes') {
        return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header.slice(0, eq))
            ? { kind: 'ignore', reason: 'unsupported_unit' }
            : { kind: 'ignore', reason: 'malformed' };
    }
    // range-set = 1#range-spec: comma-separated, optional whitespace, empty elements allowed.
    const specs = header
        .slice(eq + 1)
        .split(',')
        .map((spec) => spec.trim())
        .filter((spec) => spec !== '');
    if (specs.length === 0) return { kind: 'ignore', reason: 'malformed' };

    const ranges: { first?: number; last?: number; suffix?: number }[] = [];
    for (const spec of specs) {
        const dash = spec.indexOf('-');
        if (dash < 0) return { kind: 'ignore', reason: 'malformed' };
        const left = spec.slice(0, dash);
        const right = spec.slice(dash + 1);
        if (left === '') {
            const suffix = parsePosition(right);
            if (suffix === undefined) return { kind: 'ignore', reason: 'malformed' };
            ranges.push({ suffix });
            continue;
        }
        const first = parsePosition(left);
        const last = right === '' ? undefined : parsePosition(right);
        if (first === undefined || (right !== '' && last === undefined)) return { kind: 'ignore', reason: 'malformed' };
        if (last !== undefined && last < first) return { kind: 'ignore', reason: 'malformed' };
        ranges.push({ first, ...(last !== undefined ? { last } : {}) });
    }
    if (ranges.length > 1) return { kind: 'ignore', reason: 'multiple' };
    if (size === 0) return { kind: 'ignore', reason: 'empty_representation' };

    const range = ranges[0]!;
    if (range.suffix !== undefined) {
        if (range.suffix === 0) return { kind: 'unsatisfiable' };
        return { kind: 'partial', start: Math.max(0, size - Math.min(range.suffix, size)), end: size - 1 };
    }
    const first = range.first!;
    if (first >= size) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: first, end: Math.min(range.last ?? size - 1, size - 1) };
}

/** Content-Range value of a 206 response. */
export function contentRange(start: number, end: number, size: number): string {
    return `bytes ${start}-${end}/${size}`;
}

/** Content-Range value of a 416 response. */
export function unsatisfiedContentRange(size: number): string {
    return `bytes */${size}`;
}
