/**
 * Every record the auth canister stores, with its version: written as JSON with `v`, read back
 * by a decoder that checks the version and the fields instead of trusting `JSON.parse(raw) as T`.
 * Records stored before versions existed (no `v`) are version 1's fields and read as such.
 * A record that does not decode is a bug or corrupted state: the decoder throws (the message traps
 * and changes nothing).
 */
import { asciiJson } from '@icp-private-assets/shared';
import type { AuthConfig } from './authConfig';
import type { BucketRecord } from './bucketRegistry';
import type { WasmInfo } from './bucketWasm';
import type { BalanceSample, BucketCycles } from './cyclesWatch';
import type { FleetConfig } from './fleetConfig';
import type { ProvisioningState } from './provisioning';
import type { Rollout } from './rollout';
import type { KeyState } from './keyLifecycle';
import type { MemoryRecord } from './memoryDirectory';

export const RECORD_VERSION = 1;

export class StoredRecordError extends Error {
    override name = 'StoredRecordError';
}

type Fields = Record<string, unknown>;

function parse(kind: string, raw: string): Fields {
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        throw new StoredRecordError(`${kind} record is not JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new StoredRecordError(`${kind} record is not an object`);
    const fields = value as Fields;
    if (fields['v'] !== undefined && fields['v'] !== RECORD_VERSION) throw new StoredRecordError(`${kind} record has unknown version ${String(fields['v'])}`);
    return fields;
}

function require(kind: string, fields: Fields, checks: Record<string, 'string' | 'number' | 'boolean' | 'object' | 'string?' | 'number?' | 'boolean?' | 'object?'>): void {
    for (const [name, type] of Object.entries(checks)) {
        const value = fields[name];
        const optional = type.endsWith('?');
        if (optional && value === undefined) continue;
        const base = type.replace('?', '');
        const actual = Array.isArray(value) ? 'object' : typeof value;
        if (actual !== base || value === null) throw new StoredRecordError(`${kind} record: ${name} should be a ${base}`);
    }
}

/** JSON with non-ASCII escaped: stored strings go through the ASCII codec. */
const encode = (fields: object): string => asciiJson({ v: RECORD_VERSION, ...fields });
const withoutVersion = <T>(fields: Fields): T => {
    const { v: _version, ...rest } = fields;
    return rest as T;
};

export function encodeConfig(config: AuthConfig): string {
    return encode(config);
}

export function decodeConfig(raw: string): AuthConfig {
    const fields = parse('config', raw);
    require('config', fields, { defaultTtlSeconds: 'number', maxTtlSeconds: 'number', uploadGrantTtlSeconds: 'number', skewSeconds: 'number' });
    return withoutVersion<AuthConfig>(fields);
}

export function encodeKeyState(state: KeyState): string {
    return encode(state);
}

export function decodeKeyState(raw: string): KeyState {
    const fields = parse('keys', raw);
    require('keys', fields, { version: 'string', nextKidNumber: 'number', masters: 'object', pending: 'object?' });
    for (const master of fields['masters'] as Fields[]) {
        require('keys', master, { kid: 'string', secretHex: 'string', createdAt: 'string', state: 'string', deactivatedAt: 'string?' });
        if (master['state'] !== 'active' && master['state'] !== 'verify-only') throw new StoredRecordError('keys record: unknown key state');
    }
    return withoutVersion<KeyState>(fields);
}

/** Memory records are keyed by id; the id is not stored in the value. */
export function encodeMemory(record: Omit<MemoryRecord, 'id'>): string {
    return encode(record);
}

export function decodeMemory(id: string, raw: string): MemoryRecord {
    const fields = parse('memory', raw);
    require('memory', fields, { owner: 'string', bucket: 'string', title: 'string', createdAt: 'string', tokensNotBefore: 'number?' });
    return { id, ...withoutVersion<Omit<MemoryRecord, 'id'>>(fields) };
}

export function encodeBucket(record: BucketRecord): string {
    return encode(record);
}

export function decodeBucket(raw: string): BucketRecord {
    const fields = parse('bucket', raw);
    require('bucket', fields, {
        id: 'string',
        status: 'string',
        capacityBytes: 'number',
        usedBytes: 'number',
        memoryCount: 'number',
        registeredAt: 'string',
        ackedVersion: 'string',
        failedAttempts: 'number',
        pushInFlight: 'boolean'
    });
    return withoutVersion<BucketRecord>(fields);
}

/** A bucket-side deletion that failed and is retried by the maintenance timer. */
export interface PendingDeletion {
    readonly bucket: string;
    readonly attempts: number;
    /** Nanoseconds, decimal. */
    readonly nextRetryAt: string;
}

export function encodePendingDeletion(pending: PendingDeletion): string {
    return encode(pending);
}

export function decodePendingDeletion(raw: string): PendingDeletion {
    const fields = parse('pending deletion', raw);
    require('pending deletion', fields, { bucket: 'string', attempts: 'number', nextRetryAt: 'string' });
    return withoutVersion<PendingDeletion>(fields);
}

/** A bucket's queued revocation cutoffs: memory id → Unix seconds. */
export function encodeRevocations(pending: Record<string, number>): string {
    return encode({ pending });
}

export function decodeRevocations(raw: string): Record<string, number> {
    const fields = parse('revocations', raw);
    require('revocations', fields, { pending: 'object' });
    const pending = fields['pending'] as Fields;
    for (const value of Object.values(pending)) if (typeof value !== 'number') throw new StoredRecordError('revocations record: cutoffs must be numbers');
    return pending as Record<string, number>;
}

/** Cycle amounts are bigints: stored as decimal strings. */
export function encodeFleetConfig(config: FleetConfig): string {
    return encode({ ...config, cyclesPerBucket: config.cyclesPerBucket.toString(), topUpBelowCycles: config.topUpBelowCycles.toString(), topUpCycles: config.topUpCycles.toString() });
}

export function decodeFleetConfig(raw: string): FleetConfig {
    const fields = parse('fleet config', raw);
    require('fleet config', fields, {
        minFreeBytes: 'number',
        bucketCapacityBytes: 'number',
        cyclesPerBucket: 'string',
        maxBuckets: 'number',
        operators: 'object',
        topUpBelowCycles: 'string',
        topUpCycles: 'string',
        runwayWarningDays: 'number'
    });
    const operators = fields['operators'] as unknown[];
    if (!operators.every((o) => typeof o === 'string')) throw new StoredRecordError('fleet config record: operators must be principals');
    const cycles = (name: string) => {
        const text = fields[name] as string;
        if (!/^[0-9]{1,40}$/.test(text)) throw new StoredRecordError(`fleet config record: ${name} is not a cycle amount`);
        return BigInt(text);
    };
    return {
        minFreeBytes: fields['minFreeBytes'] as number,
        bucketCapacityBytes: fields['bucketCapacityBytes'] as number,
        cyclesPerBucket: cycles('cyclesPerBucket'),
        maxBuckets: fields['maxBuckets'] as number,
        operators: operators as string[],
        topUpBelowCycles: cycles('topUpBelowCycles'),
        topUpCycles: cycles('topUpCycles'),
        runwayWarningDays: fields['runwayWarningDays'] as number
    };
}

export function encodeProvisioning(state: ProvisioningState): string {
    return encode(state);
}

export function decodeProvisioning(raw: string): ProvisioningState {
    const fields = parse('provisioning', raw);
    require('provisioning', fields, { phase: 'string', attempts: 'number', provisionedCount: 'number', cyclesSpent: 'string', canisterId: 'string?', startedAt: 'string?', lastError: 'string?', nextRetryAt: 'string?', lastProvisioned: 'object?' });
    if (!['idle', 'creating', 'installing', 'registering'].includes(fields['phase'] as string)) throw new StoredRecordError('provisioning record: unknown phase');
    return withoutVersion<ProvisioningState>(fields);
}

export function encodeBucketCycles(record: BucketCycles): string {
    return encode(record);
}

export function decodeBucketCycles(raw: string): BucketCycles {
    const fields = parse('bucket cycles', raw);
    require('bucket cycles', fields, { canisterId: 'string', toppedUp: 'string', cycles: 'string?', moduleHash: 'string?', checkedAt: 'string?', statusError: 'string?', lastTopUpAt: 'string?', topUpError: 'string?' });
    return withoutVersion<BucketCycles>(fields);
}

export function encodeBalanceSamples(samples: readonly BalanceSample[]): string {
    return encode({ samples });
}

export function decodeBalanceSamples(raw: string): BalanceSample[] {
    const fields = parse('balance samples', raw);
    require('balance samples', fields, { samples: 'object' });
    const samples = fields['samples'] as Fields[];
    for (const sample of samples) require('balance samples', sample, { at: 'string', balance: 'string', spent: 'string' });
    return samples as unknown as BalanceSample[];
}

export function encodeWasmInfo(info: WasmInfo): string {
    return encode(info);
}

export function decodeWasmInfo(raw: string): WasmInfo {
    const fields = parse('bucket wasm', raw);
    require('bucket wasm', fields, { sha256: 'string', size: 'number', chunkCount: 'number', state: 'object' });
    const state = fields['state'] as Fields;
    if (!['uploading', 'ready', 'verified', 'rejected'].includes(state['kind'] as string)) throw new StoredRecordError('bucket wasm record: unknown state');
    return withoutVersion<WasmInfo>(fields);
}

export function encodeRollout(rollout: Rollout): string {
    return encode(rollout);
}

export function decodeRollout(raw: string): Rollout {
    const fields = parse('rollout', raw);
    require('rollout', fields, { wasmSha256: 'string', pending: 'object', done: 'object', startedAt: 'string', finishedAt: 'string?', failed: 'object?' });
    return withoutVersion<Rollout>(fields);
}
