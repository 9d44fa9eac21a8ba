/**
 * The http test canister's interface: the HTTP gateway protocol's types (localnet's one definition,
 * src/gateway/httpInterfaceIdl.ts) with this canister's streaming token. Shared by the canister,
 * built with Azle's IDL, and the tests' actors, built with @icp-sdk/core's; imports nothing at run
 * time so that Azle can bundle it.
 */
import { httpInterfaceIdl, type CandidConstructors } from '../../../src/gateway/httpInterfaceIdl';

interface TokenConstructors<T> extends CandidConstructors<T> {
    readonly Nat: T;
    readonly Nat32: T;
}

export function httpCanisterIdl<T>(IDL: TokenConstructors<T>) {
    /** Mixed field types on purpose: the gateway must pass the token back exactly as it got it. */
    const StreamingToken = IDL.Record({ label: IDL.Text, chunk: IDL.Nat, chunks: IDL.Nat32, size: IDL.Nat32, trapAt: IDL.Opt(IDL.Nat32) });
    return { StreamingToken, ...httpInterfaceIdl(IDL, StreamingToken) };
}

export interface StreamingToken {
    label: string;
    chunk: bigint;
    chunks: number;
    size: number;
    trapAt: [] | [number];
}
