/**
 * What the gateway accepts as a request target, and how it keeps targets out of what it writes
 * back. The IC's gateways parse the target as a URI before anything else; Node's HTTP parser lets
 * through characters no URI may contain (`"`, backtick, `<`, `{`, `|`…) and the asterisk form, which
 * response verification then fails to parse. Such targets are a bad request (400), and no error
 * page or log line repeats a target: its query may carry an access token.
 */
import { GatewayError } from './gatewayError';

/**
 * Visible ASCII a URI may carry (RFC 3986), plus what browsers send unescaped in a query
 * (`{ } | ^ \\`): never `"`, `<`, `>`, a backtick, spaces, controls or non-ASCII bytes.
 */
const URI_CHARACTERS = "A-Za-z0-9\\-._~:/?#[\\]@!$&'()*+,;=%{}|^\\\\";
const ORIGIN_FORM = new RegExp(`^/[${URI_CHARACTERS}]*$`);
const ABSOLUTE_FORM = new RegExp(`^https?://[${URI_CHARACTERS}]*$`, 'i');

/** Origin form (`/…`) or absolute form (`http://…`); the asterisk form and anything else is a 400. */
export function assertValidRequestTarget(target: string): void {
    if (!ORIGIN_FORM.test(target) && !ABSOLUTE_FORM.test(target)) throw new GatewayError(400, 'Bad request: the request target is not a valid URI');
}

/** The target's path without query or fragment: what a log line may show. */
export function loggablePath(target: string): string {
    return target.split(/[?#]/, 1)[0] ?? '';
}

/** A message with every occurrence of the request target (and of its query) replaced. */
export function withoutTarget(message: string, target: string): string {
    const queryStart = target.indexOf('?');
    let out = message.split(target).join('<request target>');
    if (queryStart >= 0 && queryStart < target.length - 1) out = out.split(target.slice(queryStart + 1)).join('<query>');
    return out;
}
