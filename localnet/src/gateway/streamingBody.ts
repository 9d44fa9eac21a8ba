/**
 * The body of a streamed response: the first chunk from http_request, then one streaming-callback
 * query per further chunk until the canister returns no token. Like ic-http-gateway, the gateway
 * first collects a few callbacks: if the body completes within them it can be verified as a whole;
 * otherwise the rest is streamed to the client as it arrives, unverified.
 */
import type { Principal } from '@icp-sdk/core/principal';
import { queryCanister, type GatewayNetwork } from './canisterCalls';
import { GatewayError } from './gatewayError';
import { decodeStreamingCallbackResponse, type StreamingCallback } from './httpInterfaceCandid';

/** ic-http-gateway: MAX_VERIFIED_HTTP_REQUEST_STREAM_CALLBACK_CALL_COUNT. */
export const MAX_VERIFIED_CALLBACKS = 4;
/** ic-http-gateway: MAX_HTTP_REQUEST_STREAM_CALLBACK_CALL_COUNT (the whole stream, first chunk included). */
export const MAX_STREAM_CHUNKS = 1000;

export class CallbackStream {
    #argument: Uint8Array | undefined;
    #chunks = 1;

    constructor(
        private readonly network: GatewayNetwork,
        private readonly canisterId: Principal,
        private readonly callback: StreamingCallback,
        private readonly maxChunks = MAX_STREAM_CHUNKS
    ) {
        // The specification: a callback that is not a method of the canister fails the request.
        if (callback.canisterId.toText() !== canisterId.toText()) {
            throw new GatewayError(
                500,
                `Invalid streaming strategy: the callback ${callback.canisterId.toText()}.${callback.method} is not a method of canister ${canisterId.toText()}`
            );
        }
        this.#argument = callback.token;
    }

    get done(): boolean {
        return this.#argument === undefined;
    }

    /** Calls the callback once and returns its chunk. */
    next(): Uint8Array {
        const argument = this.#argument;
        if (argument === undefined) throw new Error('the stream has ended');
        if (this.#chunks >= this.maxChunks) {
            throw new GatewayError(502, `Streaming stopped: the body did not end within ${this.maxChunks} chunks`);
        }
        this.#chunks += 1;
        const reply = queryCanister(this.network, this.canisterId, this.callback.method, argument);
        let chunk: ReturnType<typeof decodeStreamingCallbackResponse>;
        try {
            chunk = decodeStreamingCallbackResponse(reply);
        } catch (error) {
            throw new GatewayError(500, `Failed to decode the reply of ${this.callback.method}: ${(error as Error).message}`);
        }
        this.#argument = chunk.nextToken;
        return chunk.body;
    }
}

export type CollectedBody =
    /** The whole body, as the chunks it arrived in (joined only if it has to be verified). */
    | { readonly kind: 'complete'; readonly chunks: readonly Uint8Array[]; readonly length: number }
    | { readonly kind: 'partial'; readonly prefix: readonly Uint8Array[]; readonly rest: CallbackStream };

/** Follows at most `maxCallbacks` callbacks; the body is complete if the stream ended within them. */
export function collectBody(first: Uint8Array, stream: CallbackStream | undefined, maxCallbacks = MAX_VERIFIED_CALLBACKS): CollectedBody {
    const chunks = [first];
    for (let calls = 0; stream && calls < maxCallbacks && !stream.done; calls++) chunks.push(stream.next());
    if (stream && !stream.done) return { kind: 'partial', prefix: chunks, rest: stream };
    return { kind: 'complete', chunks, length: chunks.reduce((sum, chunk) => sum + chunk.length, 0) };
}

/** The chunks as one array (a view of the only chunk when there is just one). */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array {
    return chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks));
}
