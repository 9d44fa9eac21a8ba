/**
 * A bucket canister on localnet, driven through PicJS, with a test principal in the auth
 * canister's role: it holds the master secret, pushes the derived keyring and mints tokens and
 * grants exactly as the auth canister will.
 */
import type { PocketIc } from '@dfinity/pic';
import { IDL } from '@icp-sdk/core/candid';
import { Principal } from '@icp-sdk/core/principal';
import { startNetwork, type Network } from '@icp-private-assets/localnet';
import { deriveBucketKey, mintToken, randomNonce, type TokenPurpose, type Variant } from '@icp-private-assets/shared';
import { uploadAsset } from '../../client/uploadAsset';
import { idlFactory, initArgs } from '../../src/candid';
import { bucketWasm } from './bucketBuild';

type Method = (arg?: any) => Promise<any>;
/** The bucket's methods as a PicJS actor (results typed loosely: tests assert their shapes). */
export interface BucketActor {
    setPrincipal(principal: Principal): void;
    get_config: Method;
    set_keyring: Method;
    keyring_status: Method;
    upload_begin: Method;
    upload_chunk: Method;
    upload_commit: Method;
    upload_abort: Method;
    upload_status: Method;
    revoke_tokens: Method;
    delete_asset: Method;
    delete_memory: Method;
    http_request: Method;
    http_request_streaming_callback: Method;
    get_asset_chunk: Method;
    list_assets: Method;
    metrics: Method;
}

export const MASTER = new Uint8Array(32).map((_, i) => 200 - i);
export const AUTH = Principal.selfAuthenticating(new Uint8Array(32).fill(1));
export const USER = Principal.selfAuthenticating(new Uint8Array(32).fill(2));
export const STRANGER = Principal.selfAuthenticating(new Uint8Array(32).fill(3));

export interface BucketConfigArg {
    max_asset_size?: bigint;
    chunk_size?: number;
    stream_grace_seconds?: number;
    session_ttl_seconds?: number;
    capacity_bytes?: bigint;
}

export function encodeBucketArgs(auth: Principal, config: BucketConfigArg = {}): Uint8Array {
    const opt = <T>(v: T | undefined): [] | [T] => (v === undefined ? [] : [v]);
    const [type] = initArgs({ IDL });
    return new Uint8Array(
        IDL.encode([type as unknown as IDL.Type], [
            {
                auth_canister: auth,
                config: [
                    {
                        max_asset_size: opt(config.max_asset_size),
                        chunk_size: opt(config.chunk_size),
                        stream_grace_seconds: opt(config.stream_grace_seconds),
                        session_ttl_seconds: opt(config.session_ttl_seconds),
                        capacity_bytes: opt(config.capacity_bytes)
                    }
                ]
            }
        ])
    );
}

export interface BucketHarness {
    network: Network;
    pic: PocketIc;
    bucketId: Principal;
    actor: BucketActor;
    as(principal: Principal): BucketActor;
    /** Pushes keys derived from MASTER for the given kids (oldest first) as `version`. */
    pushKeys(version: bigint, keys: { kid: string; state?: 'active' | 'verify_only'; notAfter?: bigint }[]): Promise<unknown>;
    nowSeconds(): Promise<number>;
    token(options?: Partial<{ purpose: TokenPurpose; kid: string; memoryId: string; variants: Variant[]; assetIds: string[]; sub: Principal; ttl: number; iat: number; aud: string }>): Promise<string>;
    upload(memoryId: string, variant: Variant, content: Uint8Array, options?: { assetId?: string; contentType?: string }): Promise<unknown>;
    stop(): Promise<void>;
}

export async function startBucket(config: BucketConfigArg = {}, network?: Network): Promise<BucketHarness> {
    const net = network ?? (await startNetwork());
    const pic = net.pic;
    const fixture = await pic.setupCanister({ idlFactory: idlFactory as never, wasm: bucketWasm(), arg: encodeBucketArgs(AUTH, config) });
    const bucketId = Principal.fromText(fixture.canisterId.toText());
    const actor = fixture.actor as unknown as BucketActor;
    const as = (principal: Principal): BucketActor => {
        actor.setPrincipal(principal);
        return actor;
    };
    const nowSeconds = async () => Math.floor((await pic.getTime()) / 1000);
    const harness: BucketHarness = {
        network: net,
        pic,
        bucketId,
        actor,
        as,
        async pushKeys(version, keys) {
            return as(AUTH).set_keyring({
                version,
                keys: keys.map((k) => ({
                    kid: k.kid,
                    secret: deriveBucketKey(MASTER, k.kid, bucketId.toText()),
                    state: (k.state ?? 'active') === 'active' ? { active: null } : { verify_only: null },
                    not_after: k.notAfter === undefined ? [] : [k.notAfter]
                }))
            });
        },
        nowSeconds,
        async token(options = {}) {
            const iat = options.iat ?? (await nowSeconds());
            const kid = options.kid ?? 'k1';
            return mintToken(
                {
                    purpose: options.purpose ?? 'read',
                    aud: options.aud ?? bucketId.toText(),
                    ...(options.sub || options.purpose === 'upload' || options.purpose === 'delete' ? { sub: (options.sub ?? USER).toText() } : {}),
                    scope: {
                        memoryId: options.memoryId ?? 'm1',
                        variants: options.variants ?? ['thumbnail', 'preview', 'placeholder', 'original'],
                        ...(options.assetIds ? { assetIds: options.assetIds } : {})
                    },
                    iat,
                    exp: iat + (options.ttl ?? 180),
                    nonce: randomNonce()
                },
                { kid, secret: deriveBucketKey(MASTER, kid, bucketId.toText()) }
            );
        },
        async upload(memoryId, variant, content, options = {}) {
            const grant = await harness.token({ purpose: 'upload', memoryId, variants: [variant], sub: USER });
            return uploadAsset(as(USER) as never, { grant, memoryId, variant, content, ...options, contentType: options.contentType ?? 'image/png' });
        },
        async stop() {
            if (!network) await net.stop();
        }
    };
    return harness;
}
