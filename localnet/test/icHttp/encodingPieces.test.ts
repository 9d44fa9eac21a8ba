/**
 * The pieces the endpoints rest on, checked against the agents' own implementations: request ids
 * (representation-independent hashing), the DER key forms identities send, and the replica's time
 * format.
 */
import { requestIdOf as agentRequestIdOf } from '@icp-sdk/core/agent';
import { ECDSAKeyIdentity, Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { Secp256k1KeyIdentity } from '@icp-sdk/core/identity/secp256k1';
import { Principal } from '@icp-sdk/core/principal';
import { bytesToHex } from '@noble/hashes/utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canisterSignaturePublicKeyDer, parseUserPublicKey } from '../../src/icHttp';
import { formatIcTime } from '../../src/icHttp/icTime';
import { hashOfMap } from '../../src/icHttp/requestId';

describe('request ids', () => {
    const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
        value: fc.oneof(
            { depthSize: 'small' },
            fc.string(),
            fc.uint8Array({ maxLength: 40 }),
            fc.bigInt({ min: 0n, max: (1n << 80n) - 1n }),
            fc.nat(),
            fc.array(tie('value'), { maxLength: 4 }),
            fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 4 })
        )
    })).value;

    it('equal the agent\'s requestIdOf (@icp-sdk/core) for any content map', () => {
        fc.assert(
            fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { maxKeys: 8 }), (content) => {
                expect(bytesToHex(hashOfMap(content))).toBe(bytesToHex(agentRequestIdOf(content as never)));
            })
        );
    });

    it('match the spec example for a call', () => {
        // Interface specification, "Request ids": the example request and its id.
        const content = {
            request_type: 'call',
            sender: Uint8Array.of(0x04),
            ingress_expiry: 1_685_570_400_000_000_000n,
            canister_id: Uint8Array.of(0, 0, 0, 0, 0, 0, 0x04, 0xd2),
            method_name: 'hello',
            arg: Uint8Array.of(0x44, 0x49, 0x44, 0x4c, 0x00, 0xfd, 0x2a) // DIDL\x00\xFD*
        };
        expect(bytesToHex(hashOfMap(content))).toBe('1d1091364d6bb8a6c16b203ee75467d59ead468f523eb058880ae8ec80e2b101');
    });
});

describe('user public keys', () => {
    it('recognise the DER keys of every identity type agents ship', async () => {
        const cases: [string, Uint8Array][] = [
            ['Ed25519', new Uint8Array(Ed25519KeyIdentity.generate().getPublicKey().toDer())],
            ['EcdsaSecp256k1', new Uint8Array(Secp256k1KeyIdentity.generate().getPublicKey().toDer())],
            ['EcdsaP256', new Uint8Array((await ECDSAKeyIdentity.generate()).getPublicKey().toDer())]
        ];
        for (const [algorithm, der] of cases) expect(parseUserPublicKey(der).algorithm).toBe(algorithm);
    });

    it('round-trip canister-signature keys', () => {
        const canisterId = Principal.fromText('rdmx6-jaaaa-aaaaa-aaadq-cai');
        const key = parseUserPublicKey(canisterSignaturePublicKeyDer(canisterId, Uint8Array.of(1, 2, 3)));
        expect(key.algorithm).toBe('IcCanisterSignature');
        if (key.algorithm !== 'IcCanisterSignature') return;
        expect([key.canisterId.toText(), bytesToHex(key.seed)]).toEqual([canisterId.toText(), '010203']);
    });

    it('refuse keys that are not SubjectPublicKeyInfo, unknown algorithms, WebAuthn keys and points off the curve', () => {
        expect(() => parseUserPublicKey(Uint8Array.of(1, 2, 3))).toThrow(/not a DER SubjectPublicKeyInfo/);
        const der = new Uint8Array(Ed25519KeyIdentity.generate().getPublicKey().toDer());
        const otherOid = Uint8Array.from(der);
        otherOid[8] = 0x71;
        expect(() => parseUserPublicKey(otherOid)).toThrow(/unknown algorithm identifier/);
        const cose = Uint8Array.from([0x30, 0x11, 0x30, 0x0c, 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xb8, 0x43, 0x01, 0x01, 0x03, 0x01, 0x00]);
        expect(() => parseUserPublicKey(cose)).toThrow(/WebAuthn/);
        const secp = new Uint8Array(Secp256k1KeyIdentity.generate().getPublicKey().toDer());
        secp[secp.length - 1]! ^= 1;
        expect(() => parseUserPublicKey(secp)).toThrow(/Malformed EcdsaSecp256k1 public key/);
    });
});

describe('replica time format', () => {
    it.each([
        [1_700_000_000_000_000_000n, '2023-11-14 22:13:20 UTC'],
        [1_700_000_000_123_000_000n, '2023-11-14 22:13:20.123 UTC'],
        [1_700_000_000_123_456_000n, '2023-11-14 22:13:20.123456 UTC'],
        [1_700_000_000_088_945_300n, '2023-11-14 22:13:20.088945300 UTC']
    ])('%s → %s', (nanos, text) => {
        expect(formatIcTime(nanos)).toBe(text);
    });
});
