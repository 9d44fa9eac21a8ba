/**
 * Failures the gateway answers with an error page instead of the canister's response. Statuses and
 * wording follow the ic-http-gateway crate (used by ic-gateway, PocketIC and dfx), so a page seen
 * locally reads like the one production would show.
 */
import type { ServerResponse } from 'node:http';
import { RejectCode, type CallOutcome } from '../core/localIc';

export class GatewayError extends Error {
    override name = 'GatewayError';
    constructor(
        readonly status: number,
        message: string
    ) {
        super(message);
    }
}

type Reject = Extract<CallOutcome, { kind: 'reject' }>;

const REJECT_CODE_NAMES: Readonly<Record<number, string>> = {
    [RejectCode.SysFatal]: 'SysFatal',
    [RejectCode.SysTransient]: 'SysTransient',
    [RejectCode.DestinationInvalid]: 'DestinationInvalid',
    [RejectCode.CanisterReject]: 'CanisterReject',
    [RejectCode.CanisterError]: 'CanisterError',
    [RejectCode.SysUnknown]: 'SysUnknown'
};

/** A reject of one of the gateway's calls: 404 for an unknown canister or method, 502 otherwise. */
export function rejectToGatewayError(reject: Reject, method: string): GatewayError {
    if (reject.rejectCode === RejectCode.DestinationInvalid) return new GatewayError(404, reject.message);
    const code = REJECT_CODE_NAMES[reject.rejectCode] ?? String(reject.rejectCode);
    const errorCode = reject.errorCode === '' ? 'none' : reject.errorCode;
    return new GatewayError(502, `Replica Error (${method}): reject code ${code}, message ${reject.message}, error code ${errorCode}`);
}

/**
 * Ends a response whose status line is already sent without its final chunk, after flushing what
 * was written: the client sees an incomplete body, the only failure signal left at that point.
 */
export function abortResponse(response: ServerResponse): void {
    const socket = response.socket;
    if (socket && !socket.destroyed) socket.destroySoon();
    else response.destroy();
}

/** Writes a plain-text error page; if the response has already started, the connection is cut instead. */
export function writeGatewayError(response: ServerResponse, error: GatewayError): void {
    if (response.headersSent) {
        abortResponse(response);
        return;
    }
    const body = `${error.message}\n`;
    response.writeHead(error.status, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': String(Buffer.byteLength(body))
    });
    response.end(body);
}
