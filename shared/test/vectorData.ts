/** Typed access to test-vectors/tokens.json and conversions into the library's types. */
import vectors from '../test-vectors/tokens.json';
import type { KeyringEntry, MintClaims, Variant, VerifyRequest } from '../src/index';
import type { SpecClaims } from './independentEncoder';

export interface TokenVector {
    name: string;
    description: string;
    keyring: { kid: string; secret_hex: string; state: 'active' | 'verify-only'; not_after: number | null }[];
    claims: SpecClaims | null;
    signing_key_hex: string | null;
    payload_hex: string | null;
    token: string;
    tampered: boolean;
    now: number;
    request: {
        purpose: 'read' | 'upload' | 'delete';
        audience: string;
        memory_id: string;
        variant: string | null;
        asset_id: string | null;
        caller: string | null;
    };
    expected: string;
}

export const vectorFile = vectors as unknown as {
    skew_seconds: number;
    max_lifetime_seconds: number;
    key_derivation: { master_hex: string; kid: string; bucket: string; derived_hex: string }[];
    tokens: TokenVector[];
};

export const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));

export function keyringEntries(vector: TokenVector): KeyringEntry[] {
    return vector.keyring.map((k) => ({
        kid: k.kid,
        secret: fromHex(k.secret_hex),
        state: k.state,
        ...(k.not_after !== null ? { notAfter: k.not_after } : {})
    }));
}

export function verifyRequest(vector: TokenVector): VerifyRequest {
    const r = vector.request;
    return {
        purpose: r.purpose,
        audience: r.audience,
        memoryId: r.memory_id,
        ...(r.variant !== null ? { variant: r.variant as Variant } : {}),
        ...(r.asset_id !== null ? { assetId: r.asset_id } : {}),
        ...(r.caller !== null ? { caller: r.caller } : {})
    };
}

export function mintClaims(claims: SpecClaims): MintClaims {
    return {
        purpose: claims.purpose,
        aud: claims.aud,
        ...(claims.sub !== null ? { sub: claims.sub } : {}),
        scope: {
            memoryId: claims.scope.memory_id,
            variants: claims.scope.variants as Variant[],
            ...(claims.scope.asset_ids !== null ? { assetIds: claims.scope.asset_ids } : {})
        },
        iat: claims.iat,
        exp: claims.exp,
        nonce: fromHex(claims.nonce_hex)
    };
}
