/** How the auth canister's answer to one memory in `mint_http_tokens` maps to the token store's outcome. */
import type { MintOutcome } from '../tokens/tokenStore';
import type { AuthErrorValue, MintedRecord } from './authService';

export function mintOutcome(result: { Ok: MintedRecord } | { Err: AuthErrorValue }): MintOutcome {
    if ('Ok' in result) {
        return { ok: true, token: result.Ok.token, bucket: result.Ok.bucket.toText(), expiresAt: Number(result.Ok.expires_at) };
    }
    const error = result.Err;
    // NotFound and NotAuthorized both mean "not yours to see" (the canister answers NotFound to
    // callers without a role, so that ids of others' memories reveal nothing).
    if ('NotFound' in error || 'NotAuthorized' in error) return { ok: false, refusal: { kind: 'no-access' } };
    if ('Anonymous' in error) return { ok: false, refusal: { kind: 'signed-out' } };
    if ('InvalidRequest' in error) return { ok: false, refusal: { kind: 'invalid', message: `invalid request: ${error.InvalidRequest}` } };
    if ('NotReady' in error) return { ok: false, refusal: { kind: 'transient', message: 'the auth canister is not ready yet' } };
    if ('CallFailed' in error) return { ok: false, refusal: { kind: 'transient', message: `call failed: ${error.CallFailed}` } };
    return { ok: false, refusal: { kind: 'transient', message: `refused: ${Object.keys(error)[0]}` } };
}
