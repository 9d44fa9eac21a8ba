/** In-memory stores and a controllable clock for the bucket's pure modules. */
import { AssetStore } from '../src/assetStore';
import { applyConfigUpdate, type BucketConfig, type BucketConfigUpdate } from '../src/bucketConfig';
import { MemoryStore } from '@icp-private-assets/shared';
import { UploadSessions } from '../src/uploadSessions';

export function bucketFixture(update: BucketConfigUpdate = {}) {
    const result = applyConfigUpdate(undefined, 'ryjl3-tyaaa-aaaaa-aaaba-cai', update);
    if (!result.ok) throw new Error(result.error);
    let config: BucketConfig = result.config;
    const clock = { now: 1_800_000_000_000_000_000n };
    const chunks = new MemoryStore<Uint8Array>();
    const sessionsStore = new MemoryStore<string>();
    const assets = new AssetStore({
        assets: new MemoryStore<string>(),
        chunks,
        memoryIndex: new MemoryStore<string>(),
        totals: new MemoryStore<string>()
    });
    const sessions = new UploadSessions(sessionsStore, assets, () => config, () => clock.now);
    return {
        assets,
        sessions,
        chunks,
        sessionsStore,
        clock,
        setConfig(next: BucketConfig) {
            config = next;
        },
        get config() {
            return config;
        }
    };
}
