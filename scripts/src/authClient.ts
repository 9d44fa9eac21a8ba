/** An agent-backed actor for the auth canister (Candid from canisters/auth; docs/auth-interface.md). */
import { Actor, HttpAgent, type Identity } from '@icp-sdk/core/agent';
import type { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '@icp-private-assets/auth/candid';
import type { NetworkTarget } from './networkTarget';
import type { BucketValue, FleetStatusValue, KeyStatusValue } from './fleetReport';

type Opt<T> = [] | [T];
type Result<T> = { Ok: T } | { Err: Record<string, unknown> };

export interface BucketKeyStatusValue {
    canister_id: Principal;
    acknowledged_version: bigint;
    acknowledged_kid: Opt<string>;
    last_push_at: Opt<bigint>;
    last_error: Opt<string>;
    failed_attempts: number;
    next_retry_at: Opt<bigint>;
}

export type Rollout = NonNullable<FleetStatusValue['rollout'][0]>;

/** The methods the scripts call. */
export interface AuthService {
    rotate_keys(): Promise<Result<{ kid: string; version: bigint; merged: boolean }>>;
    key_status(): Promise<Result<Omit<KeyStatusValue, 'buckets'> & { buckets: BucketKeyStatusValue[] }>>;
    list_buckets(): Promise<Result<BucketValue[]>>;
    fleet_status(): Promise<Result<FleetStatusValue>>;
    begin_bucket_wasm(args: { sha256: Uint8Array; size: bigint }): Promise<Result<null>>;
    put_bucket_wasm_chunk(args: { index: number; bytes: Uint8Array }): Promise<Result<null>>;
    commit_bucket_wasm(): Promise<Result<{ sha256: Uint8Array; state: Record<string, unknown> }>>;
    upgrade_buckets(): Promise<Result<Rollout>>;
    set_fleet_config(args: Record<string, [] | [unknown]>): Promise<Result<unknown>>;
}

export async function createAuthActor(target: NetworkTarget, identity: Identity): Promise<AuthService> {
    const agent = await HttpAgent.create({ host: target.host, identity, shouldFetchRootKey: target.fetchRootKey });
    return Actor.createActor(idlFactory as never, { agent, canisterId: target.canisterId }) as unknown as AuthService;
}
