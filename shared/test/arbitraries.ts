/** fast-check generators for valid claims and hostile inputs. */
import { Principal } from '@dfinity/principal';
import fc from 'fast-check';
import { VARIANTS, type MintClaims } from '../src/index';

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split('');

export const idArb = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 64 });

export const principalArb = fc
    .uint8Array({ minLength: 1, maxLength: 29 })
    .map((bytes) => Principal.fromUint8Array(bytes).toText());

export const variantsArb = fc.subarray([...VARIANTS], { minLength: 1 });

export const claimsArb: fc.Arbitrary<MintClaims> = fc
    .record({
        purpose: fc.constantFrom('read' as const, 'upload' as const, 'delete' as const),
        aud: principalArb,
        sub: principalArb,
        withSub: fc.boolean(),
        memoryId: idArb,
        variants: variantsArb,
        assetIds: fc.option(fc.uniqueArray(idArb, { minLength: 1, maxLength: 8 }), { nil: undefined }),
        iat: fc.integer({ min: 0, max: 4_000_000_000 }),
        lifetime: fc.integer({ min: 1, max: 86_400 }),
        nonce: fc.uint8Array({ minLength: 12, maxLength: 12 })
    })
    .map((r) => ({
        purpose: r.purpose,
        aud: r.aud,
        ...(r.withSub || r.purpose !== 'read' ? { sub: r.sub } : {}),
        scope: { memoryId: r.memoryId, variants: r.variants, ...(r.assetIds ? { assetIds: r.assetIds } : {}) },
        iat: r.iat,
        exp: r.iat + r.lifetime,
        nonce: r.nonce
    }));

/** Strings a hostile client might send: arbitrary unicode, URL-ish fragments, base64url noise. */
export const hostileStringArb = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 100 }),
    fc.string({ unit: fc.constantFrom(...'/%.?&=#+ aA09_-~\\2fF5cC'.split('')), maxLength: 120 }),
    fc.base64String({ maxLength: 400 })
);
