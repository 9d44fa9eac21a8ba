/**
 * The auth canister's stable memory: which stable B-tree map lives at which memory id, and what
 * each holds. Ids are part of the stored layout: never reuse or renumber one (an upgrade would
 * read another map's data); add new maps at new ids.
 */
export const AUTH_STABLE_MAPS = {
    /** 'config' → AuthConfig record. */
    config: 0,
    /** 'keys' → KeyState record (master secrets). Before layout 2 it also held the id seed, the memory counter and the usage timestamp. */
    keys: 1,
    /** memory id → MemoryRecord. */
    memories: 2,
    /** LinkedIndex lists: principal → memories, memory → principals (roles). */
    links: 3,
    /** 'order' → bucket ids; 'b:<id>' → BucketRecord. */
    buckets: 4,
    /** admin principal → '1'. */
    admins: 5,
    /** memory id → PendingDeletion record (a bucket-side deletion to retry). */
    pendingDeletions: 6,
    /** bucket id → RevocationOutbox record (cutoffs not yet acknowledged). */
    revocations: 7,
    /** 'seed' → hex of the raw_rand seed of memory ids; 'counter' → memories created. */
    memoryIds: 8,
    /** 'usageRefreshedAt' → nanoseconds of the last bucket usage refresh. */
    schedule: 9,
    /**
     * Fleet: 'config' → FleetConfig; 'provisioning' → ProvisioningState; 'wasm' → WasmInfo;
     * 'balance' → BalanceSample list; 'spent' → cycles given away; 'cycles:<bucket>' → BucketCycles.
     */
    fleet: 10,
    /** 'c:<index>' → 1 MiB chunk of the bucket wasm (bytes, not text). */
    wasmChunks: 11
} as const;

export type AuthStableMap = keyof typeof AUTH_STABLE_MAPS;
/** The maps holding text (every one but the wasm chunks). */
export type AuthTextMap = Exclude<AuthStableMap, 'wasmChunks'>;
