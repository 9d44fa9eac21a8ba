/**
 * The replica's request validation (rs/validator ingress_validation.rs), in its order: ingress
 * expiry, nonce size, sender and signature (delegation chain length, expiry, cycles, target count,
 * each delegation's signature, the request signature), then the delegation targets. Each failure
 * is a 400 with the replica's message; agents recognise "Invalid request expiry: " and resync
 * their clock.
 */
import { Principal } from '@icp-sdk/core/principal';
import { bytesToHex } from '@noble/hashes/utils';
import { MalformedPublicKeyError, parseUserPublicKey, type UserPublicKey } from './derKeys';
import type { Authentication, Envelope, SignedDelegation } from './envelope';
import { badRequest } from './httpError';
import { formatIcTime } from './icTime';
import { delegationSigningMessage, requestSigningMessage, signatureFailure, type SignatureContext } from './signatures';

/** ic_limits: MAX_INGRESS_TTL and PERMITTED_DRIFT_AT_VALIDATOR. */
export const MAX_INGRESS_TTL_NANOS = 5n * 60n * 1_000_000_000n;
export const PERMITTED_DRIFT_AT_VALIDATOR_NANOS = 30n * 1_000_000_000n;
export const MAX_DELEGATIONS = 20;
export const MAX_TARGETS_PER_DELEGATION = 1_000;
export const MAX_NONCE_BYTES = 32;
export const MAX_READ_STATE_PATHS = 1_000;
export const MAX_LABELS_PER_PATH = 127;

/** The canister ids a request may act on: all, or the intersection of its delegations' targets. */
export type CanisterIdSet = { readonly all: true } | { readonly all: false; readonly ids: ReadonlySet<string> };

export function canisterIdSetContains(set: CanisterIdSet, canisterId: Principal): boolean {
    return set.all || set.ids.has(canisterId.toText());
}

export interface ValidationContext extends SignatureContext {
    /** The instance's current time, nanoseconds. */
    readonly now: bigint;
}

/** Validates a call, query or read_state envelope; returns the canister ids its sender may act on. */
export function validateRequest(envelope: Envelope, context: ValidationContext): CanisterIdSet {
    const { content, authentication } = envelope;
    if (content.kind === 'read_state') validatePathLimits(content.paths);
    // Anonymous queries and read_state requests are not subject to the expiry check.
    if (content.kind === 'call' || !content.sender.isAnonymous()) validateIngressExpiry(content.ingressExpiry, context.now);
    if (content.nonce && content.nonce.length > MAX_NONCE_BYTES) {
        throw badRequest(`Nonce in request is too big: got ${content.nonce.length} bytes, but at most ${MAX_NONCE_BYTES} are allowed.`);
    }
    const targets = validateSenderAndSignature(content.sender, content.requestId, authentication, context);
    if (content.kind !== 'read_state' && !canisterIdSetContains(targets, content.canisterId)) {
        throw badRequest(`Canister '${content.canisterId.toText()}' is not one of the delegation targets.`);
    }
    return targets;
}

export function validateIngressExpiry(expiry: bigint, now: bigint): void {
    const min = now;
    const max = now + MAX_INGRESS_TTL_NANOS + PERMITTED_DRIFT_AT_VALIDATOR_NANOS;
    if (expiry < min || expiry > max) {
        throw badRequest(
            'Invalid request expiry: Specified ingress_expiry not within expected range: ' +
                `Minimum allowed expiry: ${formatIcTime(min)}, ` +
                `Maximum allowed expiry: ${formatIcTime(max)}, ` +
                `Provided expiry:        ${formatIcTime(expiry)}`
        );
    }
}

function validatePathLimits(paths: readonly (readonly Uint8Array[])[]): void {
    if (paths.length > MAX_READ_STATE_PATHS) {
        throw badRequest(`Too many paths in read state request: got ${paths.length} paths, but at most ${MAX_READ_STATE_PATHS} are allowed.`);
    }
    const deepest = Math.max(0, ...paths.map((path) => path.length));
    if (deepest > MAX_LABELS_PER_PATH) {
        throw badRequest(`At least one path in read state request is too deep: got ${deepest} labels, but at most ${MAX_LABELS_PER_PATH} are allowed.`);
    }
}

function validateSenderAndSignature(sender: Principal, requestId: Uint8Array, authentication: Authentication, context: ValidationContext): CanisterIdSet {
    if (authentication.kind === 'anonymous') {
        if (sender.isAnonymous()) return { all: true };
        throw badRequest(`Missing signature from user: ${sender.toText()}`);
    }
    if (sender.isAnonymous()) throw badRequest('Signature is not allowed for the anonymous user.');
    const { senderPubkey, senderSig, delegations } = authentication;
    if (Principal.selfAuthenticating(senderPubkey).toText() !== sender.toText()) {
        throw badRequest(`The user id '${sender.toText()}' does not match the public key '${bytesToHex(senderPubkey)}'`);
    }
    if (delegations.length > MAX_DELEGATIONS) {
        throw invalidDelegation(`Chain of delegations is too long: got ${delegations.length} delegations, but at most ${MAX_DELEGATIONS} are allowed.`);
    }
    for (const { expiration } of delegations) {
        if (expiration < context.now) {
            throw badRequest(
                'Invalid delegation expiry: Specified sender delegation has expired:\n' +
                    `Provided expiry:    ${formatIcTime(expiration)}\n` +
                    `Local replica time: ${formatIcTime(context.now)}`
            );
        }
    }
    ensureNoCycles(senderPubkey, delegations);
    for (const { targets } of delegations) {
        if (targets && new Set(targets.map(bytesToHex)).size > MAX_TARGETS_PER_DELEGATION) {
            throw invalidDelegation(`Delegation target error: expected at most ${MAX_TARGETS_PER_DELEGATION} targets per delegation, but got ${targets.length}`);
        }
    }

    let signerKey = senderPubkey;
    let targets: CanisterIdSet = { all: true };
    for (const delegation of delegations) {
        const key = publicKeyOr(signerKey, invalidDelegation);
        const failure = signatureFailure(key, delegationSigningMessage(delegation.delegation), delegation.signature, context);
        if (failure) throw invalidDelegation(basicOrCanister(key, failure));
        targets = intersect(targets, delegation);
        signerKey = delegation.pubkey;
    }
    const key = publicKeyOr(signerKey, invalidSignature);
    const failure = signatureFailure(key, requestSigningMessage(requestId), senderSig, context);
    if (failure) throw invalidSignature(basicOrCanister(key, failure));
    return targets;
}

function ensureNoCycles(senderPubkey: Uint8Array, delegations: readonly SignedDelegation[]): void {
    const seen = new Set([bytesToHex(senderPubkey)]);
    for (const { pubkey } of delegations) {
        const hex = bytesToHex(pubkey);
        if (seen.has(hex)) throw invalidDelegation(`Chain of delegations contains at least one cycle: first repeating public key encountered ${hex}`);
        seen.add(hex);
    }
}

function intersect(targets: CanisterIdSet, delegation: SignedDelegation): CanisterIdSet {
    if (!delegation.targets) return targets;
    const ids = new Set(delegation.targets.map((bytes) => Principal.fromUint8Array(bytes).toText()));
    return targets.all ? { all: false, ids } : { all: false, ids: new Set([...targets.ids].filter((id) => ids.has(id))) };
}

function publicKeyOr(der: Uint8Array, wrap: (message: string) => Error): UserPublicKey {
    try {
        return parseUserPublicKey(der);
    } catch (error) {
        if (error instanceof MalformedPublicKeyError) throw wrap(`Invalid public key: ${error.message}`);
        throw error;
    }
}

function basicOrCanister(key: UserPublicKey, failure: string): string {
    return key.algorithm === 'IcCanisterSignature' ? `Invalid canister signature: ${failure}` : `Invalid basic signature: ${failure}`;
}

const invalidSignature = (message: string) => badRequest(`Invalid signature: ${message}`);
const invalidDelegation = (message: string) => badRequest(`Invalid delegation: ${message}`);
