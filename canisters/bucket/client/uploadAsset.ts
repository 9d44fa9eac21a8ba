/**
 * Uploading one asset to a bucket through an upload grant (docs/bucket-interface.md, "Uploads"):
 * begin with the content's size and SHA-256 (the bucket never hashes), send the chunks several
 * at a time in any order, commit. Begin resumes the caller's open session for the same content,
 * and `upload_status` says which chunks it already holds, so an upload interrupted by a reload or
 * a crash goes on where it stopped. Transient failures (a call that throws: network, a busy or
 * stopped canister) are retried with backoff; a refusal (`Err`) is final. Works with any actor
 * that has the bucket's upload methods (`@icp-sdk/core`, `@dfinity/agent`, PicJS), in Node or a
 * browser.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha256';

type Result<T> = { Ok: T } | { Err: unknown };

export interface UploadCalls {
    upload_begin(arg: unknown): Promise<Result<{ upload_id: string; chunk_size: number; chunk_count: number; resumed?: boolean }>>;
    upload_chunk(arg: unknown): Promise<Result<unknown>>;
    /** The committed AssetInfo, as the actor decodes it. */
    upload_commit(arg: unknown): Promise<Result<any>>;
    /** Needed to resume (skip the chunks a resumed session holds); without it every chunk is sent. */
    upload_status?(arg: unknown): Promise<Result<{ received_chunks: number[] | Uint32Array }>>;
    /** Called when the upload is cancelled, to free the session at once. */
    upload_abort?(arg: unknown): Promise<Result<unknown>>;
}

export interface UploadRequest {
    /** The upload grant minted by the auth canister (`mint_upload_grant`). */
    readonly grant: string;
    readonly memoryId: string;
    readonly variant: string;
    readonly assetId?: string;
    /** Passive media only (image/* except SVG, video/*, audio/*); the bucket refuses anything else. */
    readonly contentType: string;
    readonly content: Uint8Array;
    /** The content's SHA-256 when the caller already has it; computed otherwise. */
    readonly sha256?: Uint8Array;
}

export interface UploadProgress {
    /** Bytes the bucket has acknowledged (including chunks a resumed session already held). */
    readonly acknowledgedBytes: number;
    readonly totalBytes: number;
    readonly chunksAcknowledged: number;
    readonly chunkCount: number;
    /** True when begin resumed an open session. */
    readonly resumed: boolean;
}

export interface RetryPolicy {
    /** Attempts per call, the first included (default 6). */
    readonly attempts: number;
    /** Delay before the first retry, doubled each time up to maxDelayMs (defaults 250 ms, 8 s). */
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
}

export interface UploadOptions {
    /** Chunks in flight at once (default 4). */
    readonly concurrency?: number;
    readonly onProgress?: (progress: UploadProgress) => void;
    /** Aborting cancels: no new calls start, the session is aborted, the promise rejects with UploadCancelledError. */
    readonly signal?: AbortSignal;
    readonly retry?: Partial<RetryPolicy>;
    /** For tests: how to wait between retries. */
    readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_CONCURRENCY = 4;
const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

const describe = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** The bucket refused a call (its `Err` value is in `error`); retrying the same call cannot help. */
export class UploadFailedError extends Error {
    override name = 'UploadFailedError';
    constructor(
        readonly step: string,
        readonly error: unknown
    ) {
        super(`${step} failed: ${describe(error)}`);
    }
}

export class UploadCancelledError extends Error {
    override name = 'UploadCancelledError';
    constructor() {
        super('upload cancelled');
    }
}

/** SHA-256 with the platform's native digest where there is one (browsers, Node), else in JS. */
export async function sha256Of(content: Uint8Array): Promise<Uint8Array> {
    const subtle = globalThis.crypto?.subtle;
    if (subtle) return new Uint8Array(await subtle.digest('SHA-256', content as Uint8Array<ArrayBuffer>));
    return nobleSha256(content);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Uploads and returns `upload_commit`'s result. A refused begin or chunk throws UploadFailedError;
 * a call still failing after the retries throws its last error.
 */
export async function uploadAsset(bucket: UploadCalls, request: UploadRequest, options: UploadOptions = {}): ReturnType<UploadCalls['upload_commit']> {
    const { content } = request;
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    const sleep = options.sleep ?? defaultSleep;
    const signal = options.signal;
    const checkCancelled = () => {
        if (signal?.aborted) throw new UploadCancelledError();
    };
    /** Runs a call, retrying what throws (transient); `Err` results are returned as they are. */
    const withRetry = async <T>(call: () => Promise<T>): Promise<T> => {
        for (let attempt = 1; ; attempt++) {
            checkCancelled();
            try {
                return await call();
            } catch (error) {
                if (attempt >= retry.attempts) throw error;
                await sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
            }
        }
    };

    checkCancelled();
    const digest = request.sha256 ?? (await sha256Of(content));
    const begun = await withRetry(() =>
        bucket.upload_begin({
            grant: request.grant,
            memory_id: request.memoryId,
            variant: { [request.variant]: null },
            asset_id: request.assetId === undefined ? [] : [request.assetId],
            content_type: request.contentType,
            total_size: BigInt(content.length),
            sha256: digest
        })
    );
    if (!('Ok' in begun)) throw new UploadFailedError('upload_begin', begun.Err);
    const { upload_id, chunk_size, chunk_count } = begun.Ok;
    const resumed = begun.Ok.resumed === true;
    const sizeOf = (index: number) => Math.min(chunk_size, content.length - index * chunk_size);

    try {
        let held = new Set<number>();
        if (resumed && bucket.upload_status) {
            const status = await withRetry(() => bucket.upload_status!({ upload_id }));
            if ('Ok' in status) held = new Set(Array.from(status.Ok.received_chunks, Number));
        }
        let acknowledgedBytes = 0;
        let chunksAcknowledged = 0;
        for (const index of held) {
            acknowledgedBytes += sizeOf(index);
            chunksAcknowledged += 1;
        }
        const report = () => options.onProgress?.({ acknowledgedBytes, totalBytes: content.length, chunksAcknowledged, chunkCount: chunk_count, resumed });
        report();

        const pending = Array.from({ length: chunk_count }, (_, i) => i).filter((i) => !held.has(i));
        let failure: unknown;
        const worker = async () => {
            while (failure === undefined && pending.length > 0) {
                const index = pending.shift()!;
                try {
                    const bytes = content.subarray(index * chunk_size, index * chunk_size + sizeOf(index));
                    const sent = await withRetry(() => bucket.upload_chunk({ upload_id, index, bytes }));
                    if (!('Ok' in sent)) throw new UploadFailedError(`upload_chunk ${index}`, sent.Err);
                    acknowledgedBytes += bytes.length;
                    chunksAcknowledged += 1;
                    report();
                } catch (error) {
                    failure ??= error;
                }
            }
        };
        const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, pending.length));
        await Promise.all(Array.from({ length: workers }, worker));
        if (failure !== undefined) throw failure;
        return await withRetry(() => bucket.upload_commit({ upload_id }));
    } catch (error) {
        if (error instanceof UploadCancelledError && bucket.upload_abort) {
            await bucket.upload_abort({ upload_id }).catch(() => undefined);
        }
        throw error;
    }
}
