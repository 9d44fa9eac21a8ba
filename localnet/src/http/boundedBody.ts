/**
 * Reading a whole request body under a size limit, shared by localnet's three HTTP front ends.
 * Each front end supplies its own errors so that its replies keep the shape its clients expect
 * (REST JSON, the replica's plain text, the gateway's error page).
 */
import type { IncomingMessage } from 'node:http';

export interface BodyLimitErrors {
    /** The body is over the limit; `declaredBytes` is the Content-Length when that alone told us. */
    tooLarge(declaredBytes?: number): Error;
    /** The client went away before sending the whole body. */
    incomplete(): Error;
}

/** Resolves with the whole body, or rejects once it is known to exceed `limitBytes`. */
export function readBoundedBody(request: IncomingMessage, limitBytes: number, errors: BodyLimitErrors): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        let settled = false;
        const fail = (error: Error) => {
            if (settled) return;
            settled = true;
            // Drain what is left so the socket is not stalled by unread data.
            request.resume();
            reject(error);
        };
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > limitBytes) {
            fail(errors.tooLarge(declared));
            return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        request.on('data', (chunk: Buffer) => {
            if (settled) return;
            received += chunk.length;
            if (received > limitBytes) {
                fail(errors.tooLarge());
                return;
            }
            chunks.push(chunk);
        });
        request.on('end', () => {
            if (settled) return;
            settled = true;
            resolve(Buffer.concat(chunks));
        });
        // A client that goes away mid-body (e.g. PicJS aborting on its timeout) emits 'error'
        // ("aborted") or only 'close'; both mean the body is incomplete, not a server fault.
        request.on('error', () => fail(errors.incomplete()));
        request.on('close', () => {
            if (!request.complete) fail(errors.incomplete());
        });
    });
}
