/** Candid interfaces of the test canisters, as idl factories for PicJS actors. */
import type { IDL } from '@icp-sdk/core/candid';
import type { Principal } from '@icp-sdk/core/principal';
import type { HttpRequest, HttpResponse, HttpUpdateRequest } from '../../src/gateway/httpInterfaceIdl';
import { httpCanisterIdl, type StreamingToken } from '../canisters/http/httpCanisterInterface';

export const counterIdl: IDL.InterfaceFactory = ({ IDL }) =>
    IDL.Service({
        increment: IDL.Func([IDL.Text], [IDL.Nat64], []),
        get: IDL.Func([IDL.Text], [IDL.Nat64], ['query']),
        incrementThenTrap: IDL.Func([IDL.Text], [IDL.Nat64], []),
        incrementInQuery: IDL.Func([IDL.Text], [IDL.Nat64], ['query']),
        heap: IDL.Func([], [IDL.Nat64], ['query']),
        wasUpgraded: IDL.Func([], [IDL.Bool], ['query']),
        spin: IDL.Func([], [IDL.Nat64], ['query']),
        blob: IDL.Func([IDL.Nat32], [IDL.Vec(IDL.Nat8)], ['query']),
        certify: IDL.Func([IDL.Vec(IDL.Nat8)], [], []),
        certificate: IDL.Func([], [IDL.Opt(IDL.Vec(IDL.Nat8))], ['query']),
        scheduleTimer: IDL.Func([IDL.Nat64], [], []),
        timerFired: IDL.Func([], [IDL.Nat64], ['query']),
        now: IDL.Func([], [IDL.Nat64], ['query']),
        instructionsSoFar: IDL.Func([], [IDL.Nat64], ['query'])
    });

export interface CounterService {
    increment: (key: string) => Promise<bigint>;
    get: (key: string) => Promise<bigint>;
    incrementThenTrap: (key: string) => Promise<bigint>;
    incrementInQuery: (key: string) => Promise<bigint>;
    heap: () => Promise<bigint>;
    wasUpgraded: () => Promise<boolean>;
    spin: () => Promise<bigint>;
    blob: (size: number) => Promise<Uint8Array>;
    certify: (data: Uint8Array) => Promise<void>;
    certificate: () => Promise<[] | [Uint8Array]>;
    scheduleTimer: (seconds: bigint) => Promise<void>;
    timerFired: () => Promise<bigint>;
    now: () => Promise<bigint>;
    instructionsSoFar: () => Promise<bigint>;
}

export type CallResult = { Ok: string } | { Err: { code: number; message: string } };

export const pingpongIdl: IDL.InterfaceFactory = ({ IDL }) => {
    const CallResult = IDL.Variant({ Ok: IDL.Text, Err: IDL.Record({ code: IDL.Nat32, message: IDL.Text }) });
    return IDL.Service({
        ping: IDL.Func([IDL.Principal, IDL.Text], [CallResult], []),
        callMethod: IDL.Func([IDL.Principal, IDL.Text, IDL.Text], [CallResult], []),
        pong: IDL.Func([IDL.Text], [IDL.Text], []),
        boom: IDL.Func([IDL.Text], [IDL.Text], []),
        takeHalf: IDL.Func([], [IDL.Nat], []),
        sendCycles: IDL.Func([IDL.Principal, IDL.Nat], [IDL.Nat], []),
        receivedCycles: IDL.Func([], [IDL.Nat], ['query'])
    });
};

export interface PingpongService {
    ping: (target: Principal, text: string) => Promise<CallResult>;
    callMethod: (target: Principal, method: string, text: string) => Promise<CallResult>;
    pong: (text: string) => Promise<string>;
    boom: (text: string) => Promise<string>;
    takeHalf: () => Promise<bigint>;
    sendCycles: (target: Principal, cycles: bigint) => Promise<bigint>;
    receivedCycles: () => Promise<bigint>;
}

/** The http test canister (test/canisters/http), as an agent or PicJS actor sees it. */
export const httpIdl: IDL.InterfaceFactory = ({ IDL }) => IDL.Service(httpCanisterIdl(IDL).methods);

export interface HttpTestService {
    http_request: (request: HttpRequest) => Promise<HttpResponse<StreamingToken, Principal>>;
    http_request_update: (request: HttpUpdateRequest) => Promise<HttpResponse<StreamingToken, Principal>>;
}
