/**
 * HTTP gateway benchmark (`npx tsx scripts/benchGateway.ts` in localnet/): the figures recorded in
 * localnet/README.md.
 *  1. Gateway overhead for a 10 KB reply: latency of GET http://<id>.localhost/large?bytes=10000
 *     through the gateway (keep-alive connection, response verification on) minus the latency of
 *     the same http_request query made directly on the core (`queryNow`), so the canister's own
 *     execution cancels out. Samples alternate between the two to cancel drift. Because the
 *     canister's execution time varies more than the gateway's cost, the overhead is also given
 *     per request: gateway latency minus the time that request spent in queryNow.
 *     Finally the gateway's own cost without any canister: a scripted network replies instantly
 *     with a prepared 10 KB response (skip-certified, with a real certificate), next to a bare
 *     Node HTTP round trip serving the same bytes.
 *  2. Throughput of a 20 MB body streamed through callbacks (10 chunks of 2 MB), end to end.
 * A script, not a test: timings depend on the machine.
 */
import { Agent, request } from 'node:http';
import type { LookupFunction } from 'node:net';
import { cpus } from 'node:os';
import { Principal } from '@icp-sdk/core/principal';
import { buildAzleCanister } from '../src/azleBuild';
import { reconstruct } from '../src/certification/hashTree';
import { skipCertificationHeaders, skipCertificationTree } from '../src/certification/httpCertification';
import { createHttpGatewayHandler } from '../src/gateway';
import { encodeHttpRequest } from '../src/gateway/httpInterfaceCandid';
import { dataCertificate, responseCodec, SCRIPTED_CANISTER, ScriptedNetwork } from '../test/gateway/support/scriptedCanister';
import { startInProcessGateway } from '../test/gateway/support/inProcessGateway';
import { serveOnLoopback } from '../test/support/loopbackServer';
import { testCanisterBuild } from '../test/support/testCanisters';

const SAMPLES = Number(process.env['SAMPLES'] ?? 300);
const STREAM_RUNS = Number(process.env['STREAM_RUNS'] ?? 5);

const loopback: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
};
const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

/** GET through the gateway; resolves with the body length once the last byte arrived. */
function get(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = request(url, { agent: keepAlive, lookup: loopback }, (response) => {
            let length = 0;
            response.on('data', (chunk: Buffer) => (length += chunk.length));
            response.on('end', () => (response.statusCode === 200 ? resolve(length) : reject(new Error(`status ${response.statusCode}`))));
            response.on('error', reject);
        });
        req.on('error', reject);
        req.end();
    });
}

function percentile(samples: readonly number[], p: number): number {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function latencies(url: string, samples: number): Promise<number[]> {
    for (let i = 0; i < 100; i++) await get(url);
    const out: number[] = [];
    for (let i = 0; i < samples; i++) {
        const start = performance.now();
        await get(url);
        out.push(performance.now() - start);
    }
    return out;
}

/** The gateway's own processing: no canister execution, the reply is ready. */
async function gatewayAlone(): Promise<void> {
    const body = new Uint8Array(10_000).fill(97);
    const network = new ScriptedNetwork();
    const reply = responseCodec().response({
        body,
        headers: [['content-type', 'text/plain'], ...skipCertificationHeaders(dataCertificate(reconstruct(skipCertificationTree())))]
    });
    network.methods.set('http_request', () => reply);
    const handler = createHttpGatewayHandler(() => network);
    const gateway = await serveOnLoopback((req, res) => void handler(req, res));
    const bare = await serveOnLoopback((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length) }).end(body));
    });
    try {
        const id = SCRIPTED_CANISTER.toText();
        const bareMs = await latencies(`http://localhost:${bare.port}/`, 1000);
        const rawMs = await latencies(`http://${id}.raw.localhost:${gateway.port}/`, 1000);
        const verifiedMs = await latencies(`http://${id}.localhost:${gateway.port}/`, 1000);
        console.log(`\nThe gateway alone (scripted canister replying instantly, 10 KB, 1000 samples each):`);
        console.log(`  bare Node HTTP round trip:   median ${ms(percentile(bareMs, 50))}, p90 ${ms(percentile(bareMs, 90))}`);
        console.log(`  gateway, raw host:           median ${ms(percentile(rawMs, 50))}, p90 ${ms(percentile(rawMs, 90))}`);
        console.log(`  gateway, verified (skip v2): median ${ms(percentile(verifiedMs, 50))}, p90 ${ms(percentile(verifiedMs, 90))}`);
    } finally {
        await gateway.close();
        await bare.close();
    }
}

async function main(): Promise<void> {
    console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}`);
    await buildAzleCanister(testCanisterBuild('http'));
    const gateway = await startInProcessGateway();
    try {
        const canisterId = await gateway.install('http');
        const origin = gateway.origin(canisterId);
        const path = '/large?bytes=10000';
        // The request the gateway sends for that URL (same headers, so the canister does the same work).
        const arg = encodeHttpRequest({
            method: 'GET',
            url: path,
            headers: [
                ['host', `${canisterId.toText()}.localhost:${gateway.port}`],
                ['connection', 'keep-alive']
            ],
            body: new Uint8Array(0)
        });
        const direct = () => {
            const outcome = gateway.network.queryNow({ sender: Principal.anonymous(), canisterId, method: 'http_request', arg });
            if (outcome.kind !== 'reply') throw new Error(outcome.message);
        };

        // Time the gateway's own queryNow calls, to subtract them request by request.
        const network = gateway.network;
        const queryNow = network.queryNow.bind(network);
        let queryTime = 0;
        network.queryNow = (call) => {
            const start = performance.now();
            try {
                return queryNow(call);
            } finally {
                queryTime += performance.now() - start;
            }
        };

        for (let i = 0; i < 30; i++) {
            direct();
            await get(`${origin}${path}`);
        }
        const directMs: number[] = [];
        const gatewayMs: number[] = [];
        const pairedMs: number[] = [];
        const rawPairedMs: number[] = [];
        const rawOrigin = gateway.origin(canisterId, { raw: true });
        for (let i = 0; i < SAMPLES; i++) {
            let start = performance.now();
            direct();
            directMs.push(performance.now() - start);
            queryTime = 0;
            start = performance.now();
            const length = await get(`${origin}${path}`);
            const elapsed = performance.now() - start;
            gatewayMs.push(elapsed);
            pairedMs.push(elapsed - queryTime);
            if (length !== 10_000) throw new Error(`unexpected body length ${length}`);
            queryTime = 0;
            start = performance.now();
            await get(`${rawOrigin}${path}`);
            rawPairedMs.push(performance.now() - start - queryTime);
        }
        const overhead = (p: number) => percentile(gatewayMs, p) - percentile(directMs, p);
        console.log(`\n10 KB reply (${SAMPLES} samples each, verification on, keep-alive):`);
        console.log(`  direct http_request query (queryNow): median ${ms(percentile(directMs, 50))}, p90 ${ms(percentile(directMs, 90))}`);
        console.log(`  through the gateway:                  median ${ms(percentile(gatewayMs, 50))}, p90 ${ms(percentile(gatewayMs, 90))}`);
        console.log(`  overhead, difference of the above:    median ${ms(overhead(50))}, p90 ${ms(overhead(90))}`);
        console.log(`  overhead, per request (latency minus its queryNow time): median ${ms(percentile(pairedMs, 50))}, p90 ${ms(percentile(pairedMs, 90))}`);
        console.log(`  same on the raw host (no verification):                  median ${ms(percentile(rawPairedMs, 50))}, p90 ${ms(percentile(rawPairedMs, 90))}`);

        const streamPath = '/stream?chunks=10&size=2000000';
        await get(`${origin}${streamPath}`);
        const rates: number[] = [];
        for (let i = 0; i < STREAM_RUNS; i++) {
            const start = performance.now();
            const length = await get(`${origin}${streamPath}`);
            const seconds = (performance.now() - start) / 1000;
            if (length !== 20_000_000) throw new Error(`unexpected body length ${length}`);
            rates.push(length / 1e6 / seconds);
        }
        console.log(`\n20 MB streamed download (10 callback chunks of 2 MB, ${STREAM_RUNS} runs):`);
        console.log(`  throughput: median ${percentile(rates, 50).toFixed(1)} MB/s, min ${Math.min(...rates).toFixed(1)} MB/s, max ${Math.max(...rates).toFixed(1)} MB/s`);
    } finally {
        await gateway.close();
    }
    await gatewayAlone();
    keepAlive.destroy();
}

await main();
