/**
 * A minimal fetch for `http://<canister-id>.localhost:<port>/…` URLs. Browsers resolve every
 * `*.localhost` name to the loopback address; Node's resolver (and so global fetch) does not here,
 * so this client resolves such names to 127.0.0.1 itself and keeps the Host header intact.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';

export interface ClientResponse {
    readonly status: number;
    readonly headers: IncomingHttpHeaders;
    /** Response headers as received, names lower-cased, duplicates kept. */
    readonly headerList: [string, string][];
    readonly body: Buffer;
    readonly text: string;
    /** How many `data` events delivered the body (chunked streaming shows up as several). */
    readonly dataEvents: number;
    /** Set when the server cut the connection mid-body. */
    readonly aborted: boolean;
}

export interface ClientRequest {
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: Uint8Array | string;
}

const loopbackLookup: LookupFunction = (hostname, options, callback) => {
    const address = hostname === 'localhost' || hostname.endsWith('.localhost') ? '127.0.0.1' : undefined;
    if (!address) {
        callback(Object.assign(new Error(`localhostClient only resolves *.localhost, not ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
        return;
    }
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
};

export function localhostFetch(url: string, init: ClientRequest = {}): Promise<ClientResponse> {
    return new Promise((resolve, reject) => {
        const parsed = new URL(url);
        const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(parsed.hostname);
        const request = httpRequest(
            url,
            {
                method: init.method ?? 'GET',
                headers: init.headers ?? {},
                agent: false,
                ...(isIp ? {} : { lookup: loopbackLookup })
            },
            (response) => {
                const chunks: Buffer[] = [];
                let dataEvents = 0;
                let aborted = false;
                response.on('data', (chunk: Buffer) => {
                    dataEvents += 1;
                    chunks.push(chunk);
                });
                response.on('aborted', () => (aborted = true));
                response.on('error', () => (aborted = true));
                response.on('close', () => {
                    const body = Buffer.concat(chunks);
                    const headerList: [string, string][] = [];
                    for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
                        headerList.push([response.rawHeaders[i]!.toLowerCase(), response.rawHeaders[i + 1]!]);
                    }
                    resolve({
                        status: response.statusCode ?? 0,
                        headers: response.headers,
                        headerList,
                        body,
                        text: body.toString('utf8'),
                        dataEvents,
                        aborted: aborted || !response.complete
                    });
                });
            }
        );
        request.on('error', reject);
        request.end(init.body);
    });
}
