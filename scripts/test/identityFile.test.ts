import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { identityFromPem, loadIdentity } from '../src/identityFile';

describe('identityFromPem', () => {
    it('loads an Ed25519 PKCS#8 PEM as the identity of the same secret', () => {
        const { privateKey } = generateKeyPairSync('ed25519');
        const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
        const seed = new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
        expect(identityFromPem(pem).getPrincipal().toText()).toBe(Ed25519KeyIdentity.fromSecretKey(seed).getPrincipal().toText());
    });

    it('loads a secp256k1 SEC1 PEM (dfx identity export) as the identity of the same secret', () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
        const pem = privateKey.export({ format: 'pem', type: 'sec1' }).toString();
        expect(pem).toContain('BEGIN EC PRIVATE KEY');
        const d = new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
        expect(identityFromPem(pem).getPrincipal().toText()).toBe(Secp256k1KeyIdentity.fromSecretKey(d).getPrincipal().toText());
    });

    it('refuses other keys and non-keys with a clear message', () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
        expect(() => identityFromPem(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(/unsupported key type ec \(P-384\)/);
        expect(() => identityFromPem('hello')).toThrow(/not a PEM private key/);
        expect(() => loadIdentity('/nonexistent/admin.pem')).toThrow(/cannot read identity file .*ENOENT/);
    });
});
