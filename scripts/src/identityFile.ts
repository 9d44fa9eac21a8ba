/**
 * Loads a signing identity from a PEM file as dfx writes them: secp256k1 (`BEGIN EC PRIVATE KEY`,
 * dfx's default) or Ed25519 (`BEGIN PRIVATE KEY`, PKCS#8). Node's crypto parses the PEM; the
 * agent's identity classes sign.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SignIdentity } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';

export class IdentityFileError extends Error {
    override name = 'IdentityFileError';
}

export function identityFromPem(pem: string, source = 'PEM'): SignIdentity {
    let key;
    try {
        key = createPrivateKey({ key: pem, format: 'pem' });
    } catch (error) {
        throw new IdentityFileError(`${source}: not a PEM private key (${(error as Error).message})`);
    }
    const jwk = key.export({ format: 'jwk' });
    const secret = jwk.d === undefined ? undefined : new Uint8Array(Buffer.from(jwk.d, 'base64url'));
    if (key.asymmetricKeyType === 'ed25519' && secret) return Ed25519KeyIdentity.fromSecretKey(secret);
    if (key.asymmetricKeyType === 'ec' && jwk.crv === 'secp256k1' && secret) return Secp256k1KeyIdentity.fromSecretKey(secret);
    throw new IdentityFileError(`${source}: unsupported key type ${key.asymmetricKeyType}${jwk.crv ? ` (${jwk.crv})` : ''}; use Ed25519 or secp256k1`);
}

export function loadIdentity(path: string): SignIdentity {
    let pem: string;
    try {
        pem = readFileSync(path, 'utf8');
    } catch (error) {
        throw new IdentityFileError(`cannot read identity file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return identityFromPem(pem, path);
}
