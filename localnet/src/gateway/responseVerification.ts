/**
 * Response verification v2 with @dfinity/response-verification, as ic-http-gateway calls it:
 * minimum version 2, certificates at most 5 minutes away from the current time, the instance's
 * root key and, instead of the wall clock, the instance's time (tests may move it).
 */
import { verifyRequestResponsePair } from '@dfinity/response-verification';
import type { Principal } from '@icp-sdk/core/principal';
import { GatewayError } from './gatewayError';
import type { CanisterHttpRequest } from './httpInterfaceCandid';
import type { HeaderField } from './httpInterfaceIdl';

export const MIN_VERIFICATION_VERSION = 2;
export const MAX_CERT_TIME_OFFSET_NS = 300_000_000_000n;

export type Verification =
    /** Not verified: raw domain, upgraded call, or a body streamed past the verifiable prefix. */
    | { readonly kind: 'skipped' }
    /** Verified; `certifiedHeaders` is undefined when the canister certifiably skipped certification. */
    | { readonly kind: 'verified'; readonly version: number; readonly certifiedHeaders: readonly HeaderField[] | undefined };

export interface VerificationInput {
    readonly canisterId: Principal;
    readonly request: CanisterHttpRequest;
    readonly response: { readonly statusCode: number; readonly headers: readonly HeaderField[]; readonly body: Uint8Array };
    readonly rootKey: Uint8Array;
    readonly nowNanos: bigint;
}

function reason(error: unknown): string {
    if (error instanceof Error) return error.message;
    if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
    return String(error);
}

/** Verifies a response; a failure is a 500 naming the reason, as ic-http-gateway answers it. */
export function verifyResponse(input: VerificationInput): Extract<Verification, { kind: 'verified' }> {
    let info: ReturnType<typeof verifyRequestResponsePair>;
    try {
        info = verifyRequestResponsePair(
            {
                url: input.request.url,
                method: input.request.method,
                body: input.request.body,
                headers: [...input.request.headers],
                certificate_version: [MIN_VERIFICATION_VERSION]
            },
            { status_code: input.response.statusCode, headers: [...input.response.headers], body: input.response.body },
            input.canisterId.toUint8Array(),
            input.nowNanos,
            MAX_CERT_TIME_OFFSET_NS,
            input.rootKey,
            MIN_VERIFICATION_VERSION
        );
    } catch (error) {
        throw new GatewayError(500, `Response verification failed: ${reason(error)}`);
    }
    return { kind: 'verified', version: info.verificationVersion, certifiedHeaders: info.response?.headers };
}
