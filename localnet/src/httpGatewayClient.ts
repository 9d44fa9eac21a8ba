/**
 * Starts an HTTP gateway for a network's instance without auto progress, through the public
 * PocketIC REST API (`POST /http_gateway`). PicJS only offers `makeLive()`, which also makes time
 * run on its own; suites that step time themselves (timers, expiry) still need a browser's view.
 */
export interface HttpGatewayHandle {
    readonly port: number;
    stop(): Promise<void>;
}

export async function startHttpGateway(serverUrl: string): Promise<HttpGatewayHandle> {
    const states = (await (await fetch(`${serverUrl}/instances`)).json()) as string[];
    const instance = states.lastIndexOf('Available');
    if (instance < 0) throw new Error(`no live instance on ${serverUrl}`);
    const response = await fetch(`${serverUrl}/http_gateway`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ forward_to: { PocketIcInstance: instance } })
    });
    const body = (await response.json()) as { Created?: { instance_id: number; port: number }; Error?: { message: string } };
    if (!body.Created) throw new Error(`POST /http_gateway failed: ${body.Error?.message ?? response.status}`);
    const { instance_id: gatewayId, port } = body.Created;
    return {
        port,
        async stop() {
            await fetch(`${serverUrl}/http_gateway/${gatewayId}/stop`, { method: 'POST' }).catch(() => undefined);
        }
    };
}
