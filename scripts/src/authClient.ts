/** An agent-backed actor for the auth canister (Candid from canisters/auth). */
import { Actor, HttpAgent, type ActorSubclass, type Identity } from '@dfinity/agent';
import { idlFactory } from '@icp-private-assets/auth/candid';
import type { NetworkTarget } from './networkTarget';

export type AuthActor = ActorSubclass<Record<string, (...args: any[]) => Promise<any>>>;

export async function createAuthActor(target: NetworkTarget, identity: Identity): Promise<AuthActor> {
    const agent = await HttpAgent.create({ host: target.host, identity, shouldFetchRootKey: target.fetchRootKey });
    return Actor.createActor(idlFactory as never, { agent, canisterId: target.canisterId });
}
