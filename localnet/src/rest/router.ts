/**
 * A minimal method + path router. Patterns are slash-separated segments where `:name` captures one
 * segment. Like axum's `directory_route`, a single trailing slash is ignored.
 */

export type Params = Readonly<Record<string, string>>;

interface Route<H> {
    readonly method: string;
    readonly segments: readonly string[];
    readonly handler: H;
}

export type RouteMatch<H> =
    | { readonly kind: 'found'; readonly handler: H; readonly params: Params }
    | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
    | { readonly kind: 'not-found' };

function split(path: string): string[] {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    return trimmed.split('/').slice(1);
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Params | undefined {
    if (pattern.length !== actual.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < pattern.length; i++) {
        const expected = pattern[i] as string;
        const segment = actual[i] as string;
        if (expected.startsWith(':')) {
            if (segment === '') return undefined;
            params[expected.slice(1)] = decodeURIComponent(segment);
        } else if (expected !== segment) {
            return undefined;
        }
    }
    return params;
}

export class Router<H> {
    private readonly routes: Route<H>[] = [];

    add(method: string, pattern: string, handler: H): this {
        this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
        return this;
    }

    match(method: string, path: string): RouteMatch<H> {
        try {
            const actual = split(path);
            const allowed: string[] = [];
            for (const route of this.routes) {
                const params = matchSegments(route.segments, actual);
                if (!params) continue;
                if (route.method === method.toUpperCase()) return { kind: 'found', handler: route.handler, params };
                allowed.push(route.method);
            }
            return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
        } catch {
            // decodeURIComponent rejects malformed escapes; such a path matches nothing.
            return { kind: 'not-found' };
        }
    }
}
