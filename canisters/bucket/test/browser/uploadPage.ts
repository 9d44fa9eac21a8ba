/**
 * The page of the browser upload test (bundled with esbuild): a file input, an identity of its own,
 * an agent to localnet, and the shared upload client. The test drives it through `window.uploadPage`.
 */
import { Actor, HttpAgent } from '@icp-sdk/core/agent';
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { idlFactory } from '../../src/candid';
import { uploadAsset, type UploadCalls, type UploadProgress } from '../../client/uploadAsset';

const identity = Ed25519KeyIdentity.generate();
const progress: UploadProgress[] = [];

async function upload(options: { host: string; bucket: string; grant: string; memoryId: string; variant: string }): Promise<{ sha256: string; size: number }> {
    const input = document.getElementById('file') as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) throw new Error('no file picked');
    const content = new Uint8Array(await file.arrayBuffer());
    const agent = await HttpAgent.create({ host: options.host, identity, shouldFetchRootKey: true });
    const bucket = Actor.createActor(idlFactory as never, { agent, canisterId: options.bucket }) as unknown as UploadCalls;
    const committed = await uploadAsset(
        bucket,
        { grant: options.grant, memoryId: options.memoryId, variant: options.variant, contentType: file.type, content },
        { concurrency: 4, onProgress: (p) => progress.push(p) }
    );
    if (!('Ok' in committed)) throw new Error(`upload_commit refused: ${JSON.stringify(committed.Err)}`);
    const digest = await crypto.subtle.digest('SHA-256', content);
    return { sha256: Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''), size: content.length };
}

(window as unknown as { uploadPage: unknown }).uploadPage = { principal: identity.getPrincipal().toText(), progress, upload };
