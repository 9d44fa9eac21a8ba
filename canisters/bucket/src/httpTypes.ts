/** The HTTP gateway interface types as the bucket's logic sees them (Candid shapes live in candid.ts). */

export type HeaderField = readonly [string, string];
/** A response header whose value may already be ASCII bytes (see skipCertification.headerBytes). */
export type ResponseHeaderField = readonly [string, string | Uint8Array];

export interface HttpRequest {
    readonly method: string;
    readonly url: string;
    readonly headers: readonly HeaderField[];
}

export interface StreamingToken {
    readonly memory_id: string;
    readonly variant: string;
    readonly asset_id: string;
    readonly chunk_index: number;
    readonly offset: bigint;
    readonly end: bigint;
    /** Seconds: when the bucket handed out this position (the grace window for expired tokens runs from it). */
    readonly issued_at: bigint;
    readonly access_token: string;
    readonly etag: string;
    readonly stream_mac: Uint8Array;
}

export interface HttpResponse {
    readonly statusCode: number;
    readonly headers: ResponseHeaderField[];
    readonly body: Uint8Array;
    readonly streaming?: StreamingToken;
}

/** Case-insensitive header lookup; undefined when absent, every value when repeated. */
export function headerValues(headers: readonly HeaderField[], name: string): string[] {
    const lower = name.toLowerCase();
    return headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
}
