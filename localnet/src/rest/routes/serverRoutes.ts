/**
 * Server-wide endpoints: health, blob store, instance lifecycle (rs/pocket_ic_server/src/main.rs
 * and state_api/routes.rs in dfinity/ic). The HTTP gateway endpoints are in httpGatewayRoutes.ts.
 */
import { encodeTopology } from '../codec/topologyCodec';
import { decodeInstanceConfig } from '../codec/instanceConfigCodec';
import { describeError, RestError, toErrorResponse } from '../errors';
import type { RestRequest, RestResponse } from '../http';
import type { JsonObject } from '../json';
import { emptyResponse, jsonResponse } from '../http';
import type { RestRouter, ServerContext } from './context';

async function uploadBlob(context: ServerContext, request: RestRequest): Promise<RestResponse> {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'gzip') {
        throw new RestError(400, "Bad encoding: Only 'gzip' content encoding is supported");
    }
    const id = context.blobs.store({
        data: new Uint8Array(request.body),
        compression: encoding === 'gzip' ? 'gzip' : 'none'
    });
    // PocketIC answers with the bare hex id as the body (not JSON); PicJS hex-decodes `res.text()`.
    return { status: 200, text: id };
}

async function downloadBlob(context: ServerContext, request: RestRequest): Promise<RestResponse> {
    const id = request.params['id'] ?? '';
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(id)) throw new RestError(400, `Invalid blob id: ${id}`);
    const blob = context.blobs.fetch(id);
    if (!blob) throw new RestError(404, `Blob not found: ${id}`);
    return { status: 200, bytes: blob.data, headers: blob.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {} };
}

async function createInstance(context: ServerContext, request: RestRequest): Promise<RestResponse> {
    // Errors of this endpoint use CreateInstanceResponse::Error, i.e. {"Error": {"message"}}.
    try {
        const { config, autoProgress } = decodeInstanceConfig(request.json());
        const ic = await context.createLocalIc(config);
        let topology: JsonObject;
        try {
            topology = encodeTopology(ic.topology());
            if (autoProgress) await ic.autoProgress(autoProgress);
        } catch (error) {
            // Not registered yet, so nobody else would ever dispose it.
            await ic.dispose().catch(() => undefined);
            throw error;
        }
        const slot = context.instances.add(ic);
        return jsonResponse({ Created: { instance_id: slot.id, topology, http_gateway_info: null } }, 201);
    } catch (error) {
        const { status, body, internal } = toErrorResponse(error, 'tagged');
        if (internal) context.log(`POST /instances failed: ${describeError(error)}`);
        return jsonResponse(body, status);
    }
}

export function addServerRoutes(router: RestRouter, context: ServerContext): void {
    router
        .add('GET', '/status', async () => emptyResponse())
        .add('POST', '/blobstore', (request) => uploadBlob(context, request))
        .add('GET', '/blobstore/:id', (request) => downloadBlob(context, request))
        .add('GET', '/instances', async () => jsonResponse(context.instances.states()))
        .add('POST', '/instances', (request) => createInstance(context, request))
        .add('DELETE', '/instances/:id', async (request) => {
            await context.instances.delete(request.numericParam('id'));
            return emptyResponse();
        })
        // localnet never answers 202 Started, so there is never a pending operation to poll or prune.
        .add('GET', '/read_graph/:stateLabel/:opId', async (request) => {
            throw new RestError(404, `state_label / op_id not found: ${request.params['stateLabel']} / ${request.params['opId']}`);
        })
        .add('DELETE', '/prune_graph/:stateLabel/:opId', async () => emptyResponse());
}
