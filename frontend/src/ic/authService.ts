/**
 * The auth canister as the frontend calls it: an actor over the canister package's Candid (one
 * source, `@icp-private-assets/auth/candid`), typed for the methods used here.
 */
import { Actor, type HttpAgent } from '@icp-sdk/core/agent';
import type { Principal } from '@icp-sdk/core/principal';
import { idlFactory } from '@icp-private-assets/auth/candid';
import type { AuthErrorValue, RoleValue, VariantValue } from '@icp-private-assets/auth/candid';

type Opt<T> = [] | [T];
type Result<T> = { Ok: T } | { Err: AuthErrorValue };

export interface MemoryRecord {
    id: string;
    owner: Principal;
    bucket: Principal;
    title: string;
    created_at: bigint;
    role: RoleValue;
}

export interface MintedRecord {
    token: string;
    bucket: Principal;
    expires_at: bigint;
    kid: string;
}

export interface AuthService {
    list_memories(arg: { cursor: Opt<string>; limit: Opt<number> }): Promise<{ memories: MemoryRecord[]; next_cursor: Opt<string> }>;
    get_memory(arg: { memory_id: string }): Promise<Result<{ memory: MemoryRecord; grants: { principal: Principal; role: RoleValue }[] }>>;
    mint_http_tokens(arg: { memory_ids: string[]; variants: VariantValue[]; ttl_seconds: Opt<number> }): Promise<{ memory_id: string; result: Result<MintedRecord> }[]>;
}

export function createAuthService(agent: HttpAgent, canisterId: string): AuthService {
    return Actor.createActor(idlFactory as never, { agent, canisterId }) as unknown as AuthService;
}

export type { AuthErrorValue, RoleValue, VariantValue };
