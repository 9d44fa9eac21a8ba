/**
 * Errors of the REST layer and how they become HTTP responses. PocketIC answers failed operations
 * with `{"message": "..."}` (its untagged `ApiResponse::Error`), except the create endpoints
 * (`POST /instances`, `POST /http_gateway`) whose responses are the tagged `{"Error": {"message"}}`.
 */
import { LocalIcError } from '../core/localIc';
import type { JsonValue } from './json';
import { JsonSyntaxError } from './json';

export type ErrorShape = 'message' | 'tagged';

export class RestError extends Error {
    override name = 'RestError';
    constructor(
        readonly status: number,
        message: string,
        readonly shape: ErrorShape = 'message'
    ) {
        super(message);
    }
}

/** A request body that is valid JSON but not the expected structure (axum answers these with 422). */
export class DecodeError extends RestError {
    override name = 'DecodeError';
    constructor(path: string, problem: string) {
        super(422, `Failed to deserialize the JSON body into the target type: ${path}: ${problem}`);
    }
}

export function errorBody(message: string, shape: ErrorShape): JsonValue {
    return shape === 'tagged' ? { Error: { message } } : { message };
}

const localIcErrorStatus: Record<LocalIcError['code'], number> = {
    // PocketIC reports unknown canisters/subnets/messages as 400 (OpOut::Error), not 404.
    CanisterNotFound: 400,
    SubnetNotFound: 400,
    MessageNotFound: 400,
    BadRequest: 400,
    Forbidden: 403,
    // e.g. a message that does not complete within the core's round limit.
    Timeout: 408
};

export interface ErrorResponse {
    readonly status: number;
    readonly body: JsonValue;
    /** Whether this is a server fault worth logging (everything else is the client's mistake). */
    readonly internal: boolean;
}

/** Whether `error` is the core's LocalIcError (with the given code, if one is given). */
export function isLocalIcError(error: unknown, code?: LocalIcError['code']): error is LocalIcError {
    // instanceof can fail if the core is loaded twice (e.g. through different module URLs).
    const isOne = error instanceof LocalIcError || (error instanceof Error && error.name === 'LocalIcError' && 'code' in error);
    return isOne && (code === undefined || (error as LocalIcError).code === code);
}

/** Maps anything thrown while handling a request to a JSON error response; never throws. */
export function toErrorResponse(error: unknown, shape: ErrorShape = 'message'): ErrorResponse {
    if (error instanceof RestError) {
        return { status: error.status, body: errorBody(error.message, error.shape === 'tagged' ? 'tagged' : shape), internal: false };
    }
    if (error instanceof JsonSyntaxError) {
        return {
            status: 400,
            body: errorBody(`Failed to parse the request body as JSON: ${error.message}`, shape),
            internal: false
        };
    }
    if (isLocalIcError(error)) {
        const status = localIcErrorStatus[error.code] ?? 400;
        return { status, body: errorBody(`${error.code}: ${error.message}`, shape), internal: false };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 500, body: errorBody(`Internal error: ${detail}`, shape), internal: true };
}

/** A one-line description of a thrown value, with the stack for server-side logs. */
export function describeError(error: unknown): string {
    if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
    return String(error);
}
