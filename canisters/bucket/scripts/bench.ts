/**
 * Bucket benchmark (`npm run bench -w canisters/bucket`), the figures in canisters/bucket/README.md:
 *  - instructions for a small-asset (64 KB) http_request (with no revocation held, with 1,000 held
 *    for other memories, and with one held for the asset's own memory), for serving one 1.9 MB
 *    chunk through the streaming callback, and for get_asset_chunk of a 104 KB asset (localnet's
 *    metering, calibrated against the IC);
 *  - a 100 MB upload end to end through the upload client (4 chunks in flight) and PicJS: wall
 *    time, throughput, instructions per chunk and per MB;
 *  - small-asset requests per second through the HTTP gateway.
 * PicJS talks to an in-process localnet REST server whose core reports every execution.
 * Pass --upload-mb N to change the upload size (default 100).
 */
import { PocketIc } from '@dfinity/pic';
import { createRestServer, LocalNetwork, localhostFetch, type ExecutionEvent } from '@icp-private-assets/localnet';
import { cpus } from 'node:os';
import { createHash } from 'node:crypto';
import { buildAzleCanister } from '@icp-private-assets/localnet';
import { bucketBuildRequest } from '../test/support/bucketBuild';
import { AUTH, startBucket } from '../test/support/bucketNetwork';

const uploadMb = Number(process.argv[process.argv.indexOf('--upload-mb') + 1] ?? 100) || 100;
const events: ExecutionEvent[] = [];
const server = createRestServer({
    createLocalIc: async (config) => new LocalNetwork({ ...config, log: () => undefined, onExecution: (e) => events.push(e) })
});
const { url } = await server.listen(0);
await buildAzleCanister(bucketBuildRequest);

const median = (values: bigint[]): bigint => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(values.length / 2)]!;
const fmt = (n: bigint | number) => n.toLocaleString('en-US');

function executionsOf(entry: string): ExecutionEvent[] {
    return events.filter((e) => e.entry === entry);
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
const pic = await PocketIc.create(url);
const network = { pic, url, kind: 'localnet' as const, stop: async () => undefined };
const h = await startBucket({}, network);
await h.pushKeys(1n, [{ kid: 'k1' }]);

// 1. Instruction counts of serving.
const MEMORY = 'm0123456789abcdef0123456789abcdef';
const small = Uint8Array.from({ length: 64 * 1024 }, (_, i) => i & 0xff);
const large = Uint8Array.from({ length: 4_000_000 }, (_, i) => (i * 7) & 0xff);
await h.upload(MEMORY, 'thumbnail', small, { contentType: 'image/jpeg' });
await h.upload(MEMORY, 'original', large, { contentType: 'video/mp4' });
// As the auth canister mints read tokens (no sub), for a memory id as it makes them (m + 32 hex digits).
const token = await h.token({ memoryId: MEMORY });
// What a browser sends for an <img> (the gateway forwards these headers to http_request).
const BROWSER_HEADERS: [string, string][] = [
    ['host', `${h.bucketId.toText()}.localhost`],
    ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'],
    ['accept', 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8'],
    ['accept-encoding', 'gzip, deflate, br, zstd, identity'],
    ['accept-language', 'en-US,en;q=0.9'],
    ['referer', 'http://localhost:3000/gallery'],
    ['sec-fetch-dest', 'image'],
    ['sec-fetch-mode', 'no-cors']
];
const request = (path: string) => ({ method: 'GET', url: `${path}?token=${token}`, headers: BROWSER_HEADERS, body: new Uint8Array(), certificate_version: [2] });
const smallRequestCost = async () => {
    events.length = 0;
    for (let i = 0; i < 5; i++) {
        const response = await h.actor.http_request(request(`/asset/${MEMORY}/thumbnail`));
        if (response.status_code !== 200) throw new Error(`http_request answered ${response.status_code}`);
    }
    return median(executionsOf('canister_query http_request').map((e) => e.instructions));
};
const smallRequest = await smallRequestCost();
// Revocations held by the bucket: 1,000 for other memories, then one (older than the token) for this one.
const nowSeconds = await h.nowSeconds();
await h.as(AUTH).revoke_tokens(Array.from({ length: 1000 }, (_, i) => ({ memory_id: `other${i}`, not_before: BigInt(nowSeconds) })));
const withOtherRevocations = await smallRequestCost();
await h.as(AUTH).revoke_tokens([{ memory_id: MEMORY, not_before: BigInt(nowSeconds - 60) }]);
const withOwnRevocation = await smallRequestCost();
const preview = Uint8Array.from({ length: 104_000 }, (_, i) => (i * 3) & 0xff);
await h.upload(MEMORY, 'preview', preview, { contentType: 'image/webp' });
events.length = 0;
for (let i = 0; i < 5; i++) {
    const chunk = await h.actor.get_asset_chunk({ token, memory_id: MEMORY, variant: { preview: null }, asset_id: [], index: 0 });
    if (!('Ok' in chunk)) throw new Error('get_asset_chunk failed');
}
const assetChunkCost = median(executionsOf('canister_query get_asset_chunk').map((e) => e.instructions));
events.length = 0;
const started = await h.actor.http_request(request(`/asset/${MEMORY}/original`));
const firstChunk = median(executionsOf('canister_query http_request').map((e) => e.instructions));
const streamToken = started.streaming_strategy[0].Callback.token;
events.length = 0;
for (let i = 0; i < 5; i++) await h.actor.http_request_streaming_callback(streamToken);
const callback = median(executionsOf('canister_query http_request_streaming_callback').map((e) => e.instructions));
console.log('\n| serving | instructions | target |\n|---|---|---|');
console.log(`| http_request, 64 KB asset, 8 browser headers (token check, lookup, certificate, body) | ${fmt(smallRequest)} | ≤ 10M |`);
console.log(`| the same with 1,000 revocations held for other memories | ${fmt(withOtherRevocations)} | |`);
console.log(`| the same with a revocation held for this memory (older than the token) | ${fmt(withOwnRevocation)} | |`);
console.log(`| http_request, first 1,899,968-byte chunk of a 4 MB asset | ${fmt(firstChunk)} | ≤ 300M |`);
console.log(`| streaming callback, one 1,899,968-byte chunk | ${fmt(callback)} | ≤ 120M |`);
console.log(`| get_asset_chunk, 104 KB | ${fmt(assetChunkCost)} | ≤ 15M |`);

// 2. A large upload through the upload client (4 chunks in flight) and PicJS.
const content = new Uint8Array(uploadMb * 1_000_000);
for (let i = 0; i < content.length; i += 4) content[i] = (i / 4) & 0xff;
events.length = 0;
const t0 = performance.now();
const committed = (await h.upload('big', 'original', content, { contentType: 'video/mp4' })) as { Ok?: { sha256: Uint8Array } };
const seconds = (performance.now() - t0) / 1000;
if (!committed.Ok || Buffer.from(committed.Ok.sha256).toString('hex') !== createHash('sha256').update(content).digest('hex')) {
    throw new Error('upload did not commit with the right hash');
}
const uploadInstructions = events.filter((e) => e.entry.startsWith('canister_update upload_')).reduce((n, e) => n + e.instructions, 0n);
const chunkInstructions = executionsOf('canister_update upload_chunk').map((e) => e.instructions);
console.log(`\n| upload through PicJS | value |\n|---|---|`);
console.log(`| size | ${uploadMb} MB in ${chunkInstructions.length} chunks of 1,899,968 bytes |`);
console.log(`| wall time on localnet | ${seconds.toFixed(1)} s (${(uploadMb / seconds).toFixed(2)} MB/s) |`);
console.log(`| instructions, whole upload (begin + chunks + commit) | ${fmt(uploadInstructions)} |`);
console.log(`| instructions per MB | ${fmt(uploadInstructions / BigInt(uploadMb))} |`);
console.log(`| instructions per chunk (median, max) | ${fmt(median(chunkInstructions))}, ${fmt(chunkInstructions.reduce((a, b) => (a > b ? a : b), 0n))} (goal ≤ 50M) |`);
const beginCommit = events.filter((e) => e.entry === 'canister_update upload_begin' || e.entry === 'canister_update upload_commit').map((e) => `${e.entry.split(' ')[1]} ${fmt(e.instructions)}`);
console.log(`| upload_begin, upload_commit | ${beginCommit.join(', ')} |`);

// 3. Small-asset requests per second through the gateway.
const port = await pic.makeLive();
const assetUrl = `http://${h.bucketId.toText()}.localhost:${port}/asset/${MEMORY}/thumbnail?token=${await h.token({ memoryId: MEMORY, ttl: 3600 })}`;
for (let i = 0; i < 20; i++) await localhostFetch(assetUrl);
for (const concurrency of [1, 8]) {
    let done = 0;
    const until = performance.now() + 10_000;
    await Promise.all(
        Array.from({ length: concurrency }, async () => {
            while (performance.now() < until) {
                const response = await localhostFetch(assetUrl);
                if (response.status !== 200) throw new Error(`status ${response.status}`);
                done += 1;
            }
        })
    );
    console.log(`gateway, 64 KB asset, ${concurrency} concurrent client(s): ${(done / 10).toFixed(0)} requests/s`);
}
await pic.stopLive();
await pic.tearDown();
await server.close();
