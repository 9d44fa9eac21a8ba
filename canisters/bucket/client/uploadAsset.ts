/**
 * Uploading one asset to a bucket through an upload grant (docs/bucket-interface.md): begin with
 * the whole content's size and SHA-256, send the chunks in order, commit. Works with any actor
 * that has the bucket's upload methods (`@dfinity/agent`, PicJS), in Node or a browser.
 */
import { sha256 } from '@noble/hashes/sha256';

type Result<T> = { Ok: T } | { Err: unknown };

export interface UploadCalls {
    upload_begin(arg: unknown): Promise<Result<{ upload_id: string; chunk_size: number; chunk_count: number }>>;
    upload_chunk(arg: unknown): Promise<Result<unknown>>;
    /** The committed AssetInfo, as the actor decodes it. */
    upload_commit(arg: unknown): Promise<Result<any>>;
}

export interface UploadRequest {
    /** The upload grant minted by the auth canister (`mint_upload_grant`). */
    readonly grant: string;
    readonly memoryId: string;
    readonly variant: string;
    readonly assetId?: string;
    readonly contentType?: string;
    readonly content: Uint8Array;
}

export class UploadFailedError extends Error {
    override name = 'UploadFailedError';
    constructor(
        readonly step: string,
        readonly error: unknown
    ) {
        super(`${step} failed: ${JSON.stringify(error, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    }
}

/** Uploads and returns `upload_commit`'s result; a refused begin or chunk throws UploadFailedError. */
export async function uploadAsset(bucket: UploadCalls, request: UploadRequest): ReturnType<UploadCalls['upload_commit']> {
    const { content } = request;
    const begun = await bucket.upload_begin({
        grant: request.grant,
        memory_id: request.memoryId,
        variant: { [request.variant]: null },
        asset_id: request.assetId === undefined ? [] : [request.assetId],
        content_type: request.contentType ?? 'application/octet-stream',
        total_size: BigInt(content.length),
        sha256: sha256(content)
    });
    if (!('Ok' in begun)) throw new UploadFailedError('upload_begin', begun.Err);
    const { upload_id, chunk_size, chunk_count } = begun.Ok;
    for (let index = 0; index < chunk_count; index++) {
        const sent = await bucket.upload_chunk({ upload_id, index, bytes: content.subarray(index * chunk_size, (index + 1) * chunk_size) });
        if (!('Ok' in sent)) throw new UploadFailedError(`upload_chunk ${index}`, sent.Err);
    }
    return bucket.upload_commit({ upload_id });
}
