/** An agent-backed actor for the auth canister (Candid from canisters/auth; docs/auth-interface.md). */
import { Actor, HttpAgent, type Identity } from '@icp-sdk/core/agent';
import type { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '@icp-private-assets/auth/candid';
import type { NetworkTarget } from './networkTarget';

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

/** The methods the scripts call. */
export interface AuthService {
    rotate_keys(): Promise<Result<{ kid: string; version: bigint; merged: boolean }>>;
    key_status(): Promise<Result<{ version: bigint; keys: { kid: string; state: Record<string, null>; created_at: bigint }[]; buckets: BucketKeyStatusValue[] }>>;
}

export async function createAuthActor(target: NetworkTarget, identity: Identity): Promise<AuthService> {
    const agent = await HttpAgent.create({ host: target.host, identity, shouldFetchRootKey: target.fetchRootKey });
    return Actor.createActor(idlFactory as never, { agent, canisterId: target.canisterId }) as unknown as AuthService;
}
