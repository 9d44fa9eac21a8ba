/**
 * Seeds the gallery of the dev identity alice for `npm run dev`: one memory per demo scene and one
 * with a short video, each with all four variants, created by alice (so the auth canister spreads
 * them over the buckets), and one of them shared with bob as a viewer.
 */
import { createHash } from 'node:crypto';
import { Actor, HttpAgent, type Identity } from '@icp-sdk/core/agent';
import type { Principal } from '@icp-sdk/core/principal';
import { idlFactory as authIdlFactory } from '@icp-private-assets/auth/candid';
import { idlFactory as bucketIdlFactory } from '@icp-private-assets/bucket/candid';
import { uploadAsset, type UploadCalls } from '@icp-private-assets/bucket/upload';
import { VARIANTS, type Variant } from '@icp-private-assets/shared';
import { DEMO_SCENES } from './demoScene';
import { pictureVariants, videoVariants, type MemoryVariants } from './demoVariants';
import { devIdentity } from './devIdentities';

export interface SeededAsset {
    readonly contentType: string;
    readonly width: number;
    readonly height: number;
    readonly size: number;
    readonly sha256: string;
}

export interface SeededMemory {
    readonly id: string;
    readonly title: string;
    readonly bucket: string;
    readonly kind: 'picture' | 'video';
    readonly assets: Readonly<Record<Variant, SeededAsset>>;
}

export interface DevGallery {
    readonly alice: string;
    readonly bob: string;
    readonly memories: readonly SeededMemory[];
    /** The memory alice shares with bob. */
    readonly sharedWithBob: string;
}

export const VIDEO_TITLE = 'Clouds drifting over the lake (video)';
/** Which scene alice shares with bob. */
export const SHARED_TITLE = 'Alpine morning';

type Result<T> = { Ok: T } | { Err: unknown };
const describe = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : (v as { toText?: () => string })?.toText?.() ?? v));

function ok<T>(what: string, result: Result<T>): T {
    if ('Ok' in result) return result.Ok;
    throw new Error(`${what} failed: ${describe(result.Err)}`);
}

interface AuthCalls {
    create_memory(arg: { title: string }): Promise<Result<{ id: string; bucket: Principal }>>;
    mint_upload_grant(arg: { memory_id: string; variants: unknown[]; asset_ids: [] }): Promise<Result<{ token: string; bucket: Principal }>>;
    grant(arg: { memory_id: string; principal: Principal; role: { viewer: null } }): Promise<Result<null>>;
}

async function actAs(url: string, identity: Identity) {
    const agent = await HttpAgent.create({ host: url, identity, shouldFetchRootKey: true });
    return { agent, auth: (authId: string) => Actor.createActor(authIdlFactory as never, { agent, canisterId: authId }) as unknown as AuthCalls };
}

async function createMemory(auth: AuthCalls, agent: HttpAgent, title: string, kind: SeededMemory['kind'], variants: MemoryVariants): Promise<SeededMemory> {
    const memory = ok('create_memory', await auth.create_memory({ title }));
    const grant = ok('mint_upload_grant', await auth.mint_upload_grant({ memory_id: memory.id, variants: VARIANTS.map((v) => ({ [v]: null })), asset_ids: [] }));
    const bucket = Actor.createActor(bucketIdlFactory as never, { agent, canisterId: grant.bucket }) as unknown as UploadCalls;
    const assets = {} as Record<Variant, SeededAsset>;
    // The small variants first, so the gallery shows the memory as early as possible.
    for (const variant of ['placeholder', 'thumbnail', 'preview', 'original'] as const) {
        const asset = variants[variant];
        ok(`upload ${variant} of ${title}`, await uploadAsset(bucket, { grant: grant.token, memoryId: memory.id, variant, contentType: asset.contentType, content: asset.bytes }));
        assets[variant] = { contentType: asset.contentType, width: asset.width, height: asset.height, size: asset.bytes.length, sha256: createHash('sha256').update(asset.bytes).digest('hex') };
    }
    return { id: memory.id, title, bucket: memory.bucket.toText(), kind, assets };
}

export async function seedDevGallery(url: string, authId: string, log: (line: string) => void): Promise<DevGallery> {
    const aliceIdentity = devIdentity('alice');
    const bob = devIdentity('bob').getPrincipal();
    const alice = await actAs(url, aliceIdentity);
    const auth = alice.auth(authId);
    const memories: SeededMemory[] = [];
    // Created one after another so the gallery's order (newest first) is stable: the video first, so it is listed last.
    memories.push(await createMemory(auth, alice.agent, VIDEO_TITLE, 'video', await videoVariants()));
    for (const scene of DEMO_SCENES) memories.push(await createMemory(auth, alice.agent, scene.title, 'picture', await pictureVariants(scene)));
    const shared = memories.find((memory) => memory.title === SHARED_TITLE)!;
    ok('grant', await auth.grant({ memory_id: shared.id, principal: bob, role: { viewer: null } }));
    const buckets = new Set(memories.map((memory) => memory.bucket));
    log(`gallery: ${memories.length} memories of alice on ${buckets.size} buckets, "${shared.title}" shared with bob`);
    return { alice: aliceIdentity.getPrincipal().toText(), bob: bob.toText(), memories: memories.reverse(), sharedWithBob: shared.id };
}
