/**
 * The whole system on localnet for the auth suites: the auth canister and N bucket canisters
 * (real `azle build` wasm), driven through PicJS with explicit time steps, plus an HTTP gateway
 * for fetching assets as a browser does.
 */
import { uploadAsset } from '@icp-private-assets/bucket/upload';
import type { PocketIc } from '@dfinity/pic';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { localhostFetch, startHttpGateway, startNetwork, type ClientResponse, type HttpGatewayHandle, type Network } from '@icp-private-assets/localnet';
import { idlFactory as bucketIdlFactory, initArgs as bucketInitArgs } from '@icp-private-assets/bucket/candid';
import { base64UrlNoPad, decodePayload, MAC_LENGTH, type TokenClaims } from '@icp-private-assets/shared';
import { idlFactory as authIdlFactory } from '../../src/candid';
import { authWasm, bucketWasm } from '../../scripts/canisterBuilds';

type Method = (...args: any[]) => Promise<any>;
type AuthMethod =
    | 'create_memory'
    | 'grant'
    | 'revoke'
    | 'transfer_ownership'
    | 'delete_memory'
    | 'get_memory'
    | 'list_memories'
    | 'mint_http_token'
    | 'mint_http_tokens'
    | 'mint_upload_grant'
    | 'mint_delete_grant'
    | 'register_bucket'
    | 'set_bucket_status'
    | 'list_buckets'
    | 'add_admin'
    | 'remove_admin'
    | 'list_admins'
    | 'is_admin'
    | 'get_config'
    | 'set_config'
    | 'rotate_keys'
    | 'key_status'
    | 'import_memories'
    | 'set_fleet_config'
    | 'begin_bucket_wasm'
    | 'put_bucket_wasm_chunk'
    | 'commit_bucket_wasm'
    | 'fleet_status'
    | 'upgrade_buckets'
    | 'unregister_bucket';
type BucketMethod =
    | 'get_config'
    | 'set_keyring'
    | 'keyring_status'
    | 'upload_begin'
    | 'upload_chunk'
    | 'upload_commit'
    | 'upload_abort'
    | 'upload_status'
    | 'revoke_tokens'
    | 'delete_asset'
    | 'delete_memory'
    | 'http_request'
    | 'http_request_streaming_callback'
    | 'get_asset_chunk'
    | 'metrics';
/** PicJS actors, typed loosely: the suites assert the shapes of what comes back. */
export type AuthActor = Record<AuthMethod, Method>;
export type BucketActor = Record<BucketMethod, Method>;

const principal = (seed: number) => Principal.selfAuthenticating(new Uint8Array(32).fill(seed));
/** Controller of every canister (an admin by being a controller). */
export const ADMIN = principal(10);
export const OWNER = principal(11);
export const VIEWER = principal(12);
export const EDITOR = principal(13);
export const STRANGER = principal(14);
/** Added with add_admin: an admin without being a controller. */
export const DEPUTY = principal(15);
export const ANONYMOUS = Principal.anonymous();

export const ALL_VARIANTS = [{ thumbnail: null }, { preview: null }, { placeholder: null }, { original: null }];
export const EMPTY_ARGS = new Uint8Array(IDL.encode([], []));

export const json = (value: unknown): string =>
    JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Principal || (v && typeof v === 'object' && '_isPrincipal' in v) ? (v as Principal).toText() : v));

/** The `Ok` of a result variant, or a failure naming the `Err`. */
export function ok<T = any>(result: { Ok?: T; Err?: unknown }): T {
    if (!result || !('Ok' in result)) throw new Error(`expected Ok, got ${json(result)}`);
    return result.Ok as T;
}

export function errorName(result: { Ok?: unknown; Err?: Record<string, unknown> }): string {
    if (!result || !('Err' in result) || !result.Err) throw new Error(`expected Err, got ${json(result)}`);
    return Object.keys(result.Err)[0]!;
}

/** A token's claims, read without verifying it (the buckets verify). */
export function decodeToken(token: string): TokenClaims {
    const framed = base64UrlNoPad.decode(token);
    const decoded = decodePayload(framed.subarray(0, framed.length - MAC_LENGTH));
    if (!decoded.ok) throw new Error(`undecodable token: ${decoded.reason}`);
    return decoded.claims;
}

export function bucketInstallArgs(auth: Principal, capacityBytes?: bigint): Uint8Array {
    const [type] = bucketInitArgs({ IDL });
    const config = {
        max_asset_size: [],
        chunk_size: [],
        stream_grace_seconds: [],
        session_ttl_seconds: [],
        capacity_bytes: capacityBytes === undefined ? [] : [capacityBytes]
    };
    return new Uint8Array(IDL.encode([type as unknown as IDL.Type], [{ auth_canister: auth, config: [config] }]));
}

export interface RecordedReply {
    readonly canister: string;
    readonly method: string;
    readonly reply: unknown;
}

export interface AuthSystem {
    readonly network: Network;
    readonly pic: PocketIc;
    readonly authId: Principal;
    readonly bucketIds: Principal[];
    /** Every reply received through `auth()` and `bucket()` actors, in order. */
    readonly replies: RecordedReply[];
    auth(caller: Principal): AuthActor;
    bucket(id: Principal, caller?: Principal): BucketActor;
    /** After upgrading canisters installed from `previous`: talk to them through the current Candid. */
    useCurrentInterfaces(): void;
    /** Advances time by `seconds` and executes rounds (timers, inter-canister calls). */
    step(seconds?: number): Promise<void>;
    /** Steps until `check` holds; fails with `label` after `maxSteps`. */
    until(label: string, check: () => Promise<boolean>, options?: { stepSeconds?: number; maxSteps?: number }): Promise<void>;
    /** Steps until every registered bucket acknowledged the current keyring version. */
    keysSettled(): Promise<any>;
    installBucket(capacityBytes?: bigint): Promise<Principal>;
    registerBucket(id: Principal, capacityBytes: bigint): Promise<any>;
    /** Uploads through an upload grant minted by the auth canister for `caller`. */
    upload(caller: Principal, memoryId: string, variant: string, content: Uint8Array, options?: { assetId?: string; contentType?: string; concurrency?: number }): Promise<any>;
    /** GET through the HTTP gateway on the certified host `<bucket>.localhost`. */
    fetchAsset(bucket: Principal, path: string, headers?: Record<string, string>): Promise<ClientResponse>;
    nowSeconds(): Promise<number>;
    stop(): Promise<void>;
}

export interface AuthSystemOptions {
    /** Bucket canisters to install and register, with their registered capacities. */
    readonly buckets?: readonly bigint[];
    /** Register the buckets with the auth canister (default true). */
    readonly register?: boolean;
    /** Use this network (kept running on stop) instead of starting one. */
    readonly network?: Network;
    /** Install these modules, and speak their interfaces, instead of the current build's (the upgrade test installs the previous release). */
    readonly previous?: PreviousRelease;
}

/** A release's modules and Candid (idlFactory functions) to install and talk to instead of the current ones. */
export interface PreviousRelease {
    readonly auth: Uint8Array;
    readonly bucket: Uint8Array;
    readonly authIdlFactory: unknown;
    readonly bucketIdlFactory: unknown;
}

export async function startAuthSystem(options: AuthSystemOptions = {}): Promise<AuthSystem> {
    // An import of 30B instructions runs for tens of seconds on a busy 2-core machine: PicJS's
    // 30 s default would abandon it (a hang guard, not a performance limit).
    const network = options.network ?? (await startNetwork({ processingTimeoutMs: 300_000 }));
    const pic = network.pic;
    let interfaces = { auth: options.previous?.authIdlFactory ?? authIdlFactory, bucket: options.previous?.bucketIdlFactory ?? bucketIdlFactory };
    const authFixture = await pic.setupCanister({ idlFactory: interfaces.auth as never, wasm: options.previous?.auth ?? authWasm(), arg: EMPTY_ARGS, sender: ADMIN });
    const authId = Principal.fromText(authFixture.canisterId.toText());
    const actors = new Map<string, Record<string, Method>>();
    const actorFor = (factory: unknown, id: Principal, caller: Principal) => {
        const key = `${id.toText()}|${caller.toText()}`;
        let actor = actors.get(key);
        if (!actor) {
            const raw = pic.createActor(factory as never, id as never) as unknown as Record<string, Method>;
            (raw as unknown as { setPrincipal(p: Principal): void }).setPrincipal(caller);
            // Every reply is kept, so that suites can check what the canisters ever answered.
            actor = new Proxy(raw, {
                get: (target, name) => {
                    const method = target[name as string];
                    if (typeof method !== 'function' || name === 'setPrincipal') return method;
                    return async (...args: unknown[]) => {
                        const reply = await method.apply(target, args);
                        replies.push({ canister: id.toText(), method: String(name), reply });
                        return reply;
                    };
                }
            });
            actors.set(key, actor);
        }
        return actor;
    };
    let gateway: HttpGatewayHandle | undefined;
    const bucketIds: Principal[] = [];
    const replies: RecordedReply[] = [];

    const system: AuthSystem = {
        network,
        pic,
        authId,
        bucketIds,
        replies,
        auth: (caller) => actorFor(interfaces.auth, authId, caller) as AuthActor,
        bucket: (id, caller = ADMIN) => actorFor(interfaces.bucket, id, caller) as BucketActor,
        useCurrentInterfaces() {
            interfaces = { auth: authIdlFactory, bucket: bucketIdlFactory };
            actors.clear();
        },
        async step(seconds = 5) {
            if (seconds > 0) await pic.advanceTime(seconds * 1000);
            await pic.tick(4);
        },
        async until(label, check, { stepSeconds = 5, maxSteps = 60 } = {}) {
            for (let i = 0; i < maxSteps; i++) {
                if (await check()) return;
                await system.step(stepSeconds);
            }
            if (!(await check())) throw new Error(`timed out waiting for: ${label}`);
        },
        async keysSettled() {
            let status: any;
            await system.until('every bucket acknowledges the current keyring', async () => {
                status = ok(await system.auth(ADMIN).key_status());
                return status.keys.length > 0 && status.buckets.every((b: any) => b.acknowledged_version === status.version);
            });
            return status;
        },
        async installBucket(capacityBytes) {
            const fixture = await pic.setupCanister({ idlFactory: interfaces.bucket as never, wasm: options.previous?.bucket ?? bucketWasm(), arg: bucketInstallArgs(authId, capacityBytes), sender: ADMIN });
            const id = Principal.fromText(fixture.canisterId.toText());
            bucketIds.push(id);
            return id;
        },
        async registerBucket(id, capacityBytes) {
            return ok(await system.auth(ADMIN).register_bucket({ canister_id: id, capacity_bytes: capacityBytes }));
        },
        async upload(caller, memoryId, variant, content, uploadOptions = {}) {
            const grant = ok(
                await system.auth(caller).mint_upload_grant({
                    memory_id: memoryId,
                    variants: [{ [variant]: null }],
                    asset_ids: uploadOptions.assetId === undefined ? [] : [[uploadOptions.assetId]]
                })
            );
            const bucket = system.bucket(Principal.fromText(grant.bucket.toText()), caller);
            const { concurrency, ...request } = uploadOptions;
            return ok(
                await uploadAsset(
                    bucket as never,
                    { grant: grant.token, memoryId, variant, content, ...request, contentType: request.contentType ?? 'image/png' },
                    concurrency === undefined ? {} : { concurrency }
                )
            );
        },
        async fetchAsset(bucket, path, headers = {}) {
            gateway ??= await startHttpGateway(network.url);
            const response = await localhostFetch(`http://${bucket.toText()}.localhost:${gateway.port}${path}`, { headers });
            replies.push({ canister: bucket.toText(), method: `GET ${path.split('?')[0]}`, reply: { headers: response.headerList, body: new Uint8Array(response.body) } });
            return response;
        },
        async nowSeconds() {
            return Math.floor((await pic.getTime()) / 1000);
        },
        async stop() {
            await gateway?.stop();
            if (!options.network) await network.stop();
        }
    };

    // The first master and the id seed come from raw_rand through a zero-delay timer.
    await system.until('the auth canister generates its first keys', async () => (await system.auth(ADMIN).key_status()).Ok?.keys.length > 0, { stepSeconds: 1 });
    for (const capacity of options.buckets ?? [1_000_000_000n, 1_000_000_000n, 1_000_000_000n]) {
        const id = await system.installBucket();
        if (options.register ?? true) await system.registerBucket(id, capacity);
    }
    if (options.register ?? true) await system.keysSettled();
    return system;
}
