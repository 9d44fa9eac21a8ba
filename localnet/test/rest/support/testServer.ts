/** An in-process REST server backed by the protocol test double. */
import type { CreateLocalIc } from '../../../src/core/localIc';
import type { RestServer, RestServerOptions } from '../../../src/rest/server';
import { createRestServer } from '../../../src/rest/server';
import { protocolTestDoubleFactory } from './protocolTestDouble';

export interface TestServer {
    readonly url: string;
    readonly server: RestServer;
    readonly factory: ReturnType<typeof protocolTestDoubleFactory>;
    readonly logged: string[];
    /** fetch() relative to the server, returning status and parsed JSON (or text) body. */
    request(method: string, path: string, body?: string | Uint8Array, headers?: Record<string, string>): Promise<{ status: number; body: unknown; text: string }>;
}

export async function startTestServer(
    options: Partial<Omit<RestServerOptions, 'createLocalIc'>> & { createLocalIc?: CreateLocalIc } = {}
): Promise<TestServer> {
    const factory = protocolTestDoubleFactory();
    const logged: string[] = [];
    const server = createRestServer({ createLocalIc: factory, log: (message) => logged.push(message), ...options });
    const { url } = await server.listen(0);
    return {
        url,
        server,
        factory,
        logged,
        async request(method, path, body, headers = { 'content-type': 'application/json' }) {
            const response = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body: body as BodyInit }) });
            const text = await response.text();
            let parsed: unknown = text;
            try {
                parsed = text.length === 0 ? undefined : JSON.parse(text);
            } catch {
                // Not JSON (blob ids, blob contents): keep the text.
            }
            return { status: response.status, body: parsed, text };
        }
    };
}

/** The body PicJS sends for PocketIc.create() without options. */
export const DEFAULT_INSTANCE_CONFIG = JSON.stringify({
    subnet_config_set: {
        system: [],
        application: [{ dts_flag: 'Enabled', instruction_config: 'Production', cost_schedule: 'Normal', state_config: 'New' }],
        cloud_engine: [],
        verified_application: []
    }
});
