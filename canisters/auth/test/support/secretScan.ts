/**
 * Finding key material where it must not be: the auth canister's master secrets are read from its
 * stable memory (the only place they exist), the bucket keys derived from them, and any reply is
 * searched for those bytes in every form a reply could carry them (raw, hex, base64, base64url).
 */
import type { PocketIc } from '@dfinity/pic';
import type { Principal } from '@icp-sdk/core/principal';
import { base64, base64UrlNoPad, deriveBucketKey } from '@icp-private-assets/shared';

export interface MasterSecret {
    readonly kid: string;
    readonly secret: Uint8Array;
}

const fromHex = (text: string) => Uint8Array.from(text.match(/../g)!, (pair) => parseInt(pair, 16));

/** Every master secret in the auth canister's stable memory (current ones and stale copies). */
export async function readMasterSecrets(pic: PocketIc, auth: Principal): Promise<MasterSecret[]> {
    const memory = Buffer.from(await pic.getStableMemory(auth as never)).toString('latin1');
    const found = new Map<string, MasterSecret>();
    for (const match of memory.matchAll(/"kid":"(k\d+)","secretHex":"([0-9a-f]{64})"/g)) {
        found.set(`${match[1]}:${match[2]}`, { kid: match[1]!, secret: fromHex(match[2]!) });
    }
    return [...found.values()];
}

/** The masters and every key derived from them for the given buckets. */
export function keyMaterial(masters: readonly MasterSecret[], buckets: readonly Principal[]): Uint8Array[] {
    return masters.flatMap((m) => [m.secret, ...buckets.map((b) => deriveBucketKey(m.secret, m.kid, b.toText()))]);
}

function byteViews(value: unknown, out: Uint8Array[]): void {
    if (value instanceof Uint8Array) {
        out.push(value);
        return;
    }
    if (typeof value === 'string') {
        out.push(new TextEncoder().encode(value));
        for (const codec of [base64UrlNoPad, base64]) {
            try {
                out.push(codec.decode(value));
            } catch {
                // not that encoding
            }
        }
        if (/^([0-9a-fA-F]{2})+$/.test(value)) out.push(fromHex(value));
        return;
    }
    if (Array.isArray(value)) {
        if (value.length > 0 && value.every((v) => typeof v === 'number' && v >= 0 && v < 256)) out.push(Uint8Array.from(value));
        for (const item of value) byteViews(item, out);
        return;
    }
    if (value && typeof value === 'object') {
        if (typeof (value as { toText?: unknown }).toText === 'function') return;
        for (const item of Object.values(value)) byteViews(item, out);
    }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
    outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
        for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
        return i;
    }
    return -1;
}

/** Where (as a description) a reply contains one of the secrets, or undefined. */
export function findSecret(reply: unknown, secrets: readonly Uint8Array[]): string | undefined {
    const views: Uint8Array[] = [];
    byteViews(reply, views);
    const hexForms = secrets.map((s) => Buffer.from(s).toString('hex'));
    for (const view of views) {
        for (const [i, secret] of secrets.entries()) {
            if (indexOf(view, secret) >= 0) return `raw bytes of secret #${i}`;
        }
        const text = Buffer.from(view).toString('latin1').toLowerCase();
        for (const [i, hex] of hexForms.entries()) if (text.includes(hex)) return `hex of secret #${i}`;
        for (const [i, secret] of secrets.entries()) {
            for (const form of [base64.encode(secret).slice(0, 40), base64UrlNoPad.encode(secret).slice(0, 40)]) {
                if (Buffer.from(view).toString('latin1').includes(form)) return `base64 of secret #${i}`;
            }
        }
    }
    return undefined;
}
