/** In-memory stores and a controllable clock for the bucket's pure modules. */
import { AssetStore } from '../src/assetStore';
import { applyConfigUpdate, type BucketConfig, type BucketConfigUpdate } from '../src/bucketConfig';
import { MemoryStore } from '@icp-private-assets/shared';
import { UploadSessions } from '../src/uploadSessions';

export function bucketFixture(update: BucketConfigUpdate = {}) {
    const result = applyConfigUpdate(undefined, 'ryjl3-tyaaa-aaaaa-aaaba-cai', update);
    if ('Err' in result) throw new Error(result.Err);
    let config: BucketConfig = result.Ok;
    const clock = { now: 1_800_000_000_000_000_000n };
    const chunks = new MemoryStore<Uint8Array>();
    const sessionsStore = new MemoryStore<string>();
    const sessionIndex = new MemoryStore<string>();
    const sessionDeadlines = new MemoryStore<string>();
    const revokedBefore = new Map<string, number>();
    const assets = new AssetStore({
        assets: new MemoryStore<string>(),
        chunks,
        memoryIndex: new MemoryStore<string>(),
        totals: new MemoryStore<string>()
    });
    const sessions = new UploadSessions(
        { sessions: sessionsStore, index: sessionIndex, deadlines: sessionDeadlines },
        assets,
        () => config,
        () => clock.now,
        (memoryId) => revokedBefore.get(memoryId)
    );
    sessions.migrate(); // as the canister does at install and upgrade
    return {
        assets,
        sessions,
        chunks,
        sessionsStore,
        sessionIndex,
        sessionDeadlines,
        /** Revocation cutoffs (seconds) the sessions see, as the canister's TokenRevocations would give them. */
        revokedBefore,
        clock,
        setConfig(next: BucketConfig) {
            config = next;
        },
        get config() {
            return config;
        }
    };
}
