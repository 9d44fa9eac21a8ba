/**
 * PocketIC's HTTP gateway endpoints (rs/pocket_ic_server state.rs create_http_gateway,
 * packages/pocket-ic rest.rs HttpGatewayConfig/HttpGatewayDetails). PicJS's `makeLive()` enables
 * auto progress, then posts `{"forward_to": {"PocketIcInstance": id}}` here and reads
 * `Created.port`; `stopLive()` posts `/http_gateway/{Created.instance_id}/stop`.
 */
import { asArray, asObject, asSafeUnsigned, asString, optional, required } from '../codec/reader';
import { DecodeError, RestError, toErrorResponse } from '../errors';
import type { RestRequest, RestResponse } from '../http';
import { jsonResponse } from '../http';
import type { JsonObject, JsonValue } from '../json';
import type { HttpGatewaySpec, RunningHttpGateway } from '../httpGatewayListeners';
import type { RestRouter, ServerContext } from './context';

const DEFAULT_GATEWAY_HOST = '127.0.0.1';

function decodeHttpGatewayConfig(body: JsonValue): HttpGatewaySpec {
    const config = asObject(body, 'body');
    const forwardTo = asObject(required(config, 'forward_to', 'body'), 'body.forward_to');
    const [backend] = Object.keys(forwardTo);
    if (backend === 'Replica') {
        throw new RestError(400, 'forward_to Replica is not supported by localnet (only PocketIcInstance)', 'tagged');
    }
    if (backend !== 'PocketIcInstance' || Object.keys(forwardTo).length !== 1) {
        throw new DecodeError('body.forward_to', 'expected {"PocketIcInstance": <id>} or {"Replica": <url>}');
    }
    const instanceId = asSafeUnsigned(forwardTo['PocketIcInstance'], 'body.forward_to.PocketIcInstance');
    if (optional(config, 'https_config') !== undefined) {
        throw new RestError(400, 'https_config is not supported by localnet (serve plain HTTP)', 'tagged');
    }
    const host = optional(config, 'ip_addr');
    const port = optional(config, 'port');
    const domains = optional(config, 'domains');
    const portNumber = port === undefined ? 0 : asSafeUnsigned(port, 'body.port');
    if (portNumber > 65_535) throw new DecodeError('body.port', 'integer out of range for u16');
    return {
        host: host === undefined ? DEFAULT_GATEWAY_HOST : asString(host, 'body.ip_addr'),
        port: portNumber,
        instanceId,
        domains: domains === undefined ? undefined : asArray(domains, 'body.domains').map((d, i) => asString(d, `body.domains[${i}]`))
    };
}

function gatewayDetails(gateway: RunningHttpGateway): JsonObject {
    return {
        instance_id: gateway.id,
        port: gateway.port,
        forward_to: { PocketIcInstance: gateway.spec.instanceId },
        domains: gateway.spec.domains === undefined ? null : [...gateway.spec.domains],
        https_config: null
    };
}

async function createHttpGateway(context: ServerContext, request: RestRequest): Promise<RestResponse> {
    // CreateHttpGatewayResponse::Error is the tagged {"Error": {"message"}}.
    try {
        const spec = decodeHttpGatewayConfig(request.json());
        context.instances.get(spec.instanceId);
        let gateway: RunningHttpGateway;
        try {
            gateway = await context.gateways.start(spec);
        } catch (error) {
            // PocketIC reports bind failures as a 502 with the tagged error.
            throw new RestError(502, (error as Error).message, 'tagged');
        }
        return jsonResponse({ Created: { instance_id: gateway.id, port: gateway.port } }, 201);
    } catch (error) {
        const { status, body } = toErrorResponse(error, 'tagged');
        return jsonResponse(body, status);
    }
}

export function addHttpGatewayRoutes(router: RestRouter, context: ServerContext): void {
    router
        .add('POST', '/http_gateway', (request) => createHttpGateway(context, request))
        .add('GET', '/http_gateway', async () => jsonResponse(context.gateways.list().map(gatewayDetails)))
        .add('POST', '/http_gateway/:id/stop', async (request) => {
            await context.gateways.stop(request.numericParam('id'));
            return jsonResponse(null);
        });
}
