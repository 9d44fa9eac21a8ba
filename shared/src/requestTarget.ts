/**
 * Splitting an HTTP request target ("/path?query") and reading query parameters, without the
 * platform URL classes (absent in Azle's stable mode).
 */
import { percentDecode } from './percentDecode';

export interface RequestTarget {
    /** Raw (still percent-encoded) path, always starting with '/'. */
    readonly path: string;
    /** Raw query string without the '?', '' when absent. */
    readonly query: string;
}

/** Accepts an origin-form target or an absolute URL; drops any fragment. */
export function splitRequestTarget(url: string): RequestTarget {
    let target = url;
    const hash = target.indexOf('#');
    if (hash >= 0) target = target.slice(0, hash);
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/.exec(target);
    if (scheme) target = target.slice(scheme[0].length);
    const question = target.indexOf('?');
    const path = question >= 0 ? target.slice(0, question) : target;
    const query = question >= 0 ? target.slice(question + 1) : '';
    return { path: path.startsWith('/') ? path : `/${path}`, query };
}

export type QueryParam =
    | { readonly kind: 'absent' }
    | { readonly kind: 'value'; readonly value: string }
    | { readonly kind: 'invalid'; readonly reason: 'duplicate' | 'bad_encoding' };

/**
 * The single value of parameter `name`. A repeated parameter is invalid rather than first- or
 * last-wins, so two parts of a stack can never disagree about which value counted.
 */
export function queryParam(query: string, name: string): QueryParam {
    let found: QueryParam = { kind: 'absent' };
    if (query === '') return found;
    for (const pair of query.split('&')) {
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        const rawName = eq >= 0 ? pair.slice(0, eq) : pair;
        if (percentDecode(rawName, true) !== name) continue;
        if (found.kind !== 'absent') return { kind: 'invalid', reason: 'duplicate' };
        const value = percentDecode(eq >= 0 ? pair.slice(eq + 1) : '', true);
        found = value === undefined ? { kind: 'invalid', reason: 'bad_encoding' } : { kind: 'value', value };
    }
    return found;
}
