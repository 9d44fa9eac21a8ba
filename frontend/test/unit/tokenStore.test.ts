import { describe, expect, it } from 'vitest';
import type { Variant } from '@icp-private-assets/shared';
import type { MintBatch } from '../../src/tokens/mintBatches';
import { TokenStore, type MintOutcome, type MintRefusal } from '../../src/tokens/tokenStore';
import { FakeClock, FakeVisibility, flushPromises } from '../support/fakeClock';
import { TEST_BUCKET, testToken } from '../support/tokens';

const GALLERY: Variant[] = ['thumbnail', 'preview', 'placeholder'];
const LIFETIME = 180;

/** A fake auth canister: records every mint_http_tokens call and answers per memory. */
class FakeMinter {
    readonly calls: MintBatch[] = [];
    refusals = new Map<string, MintRefusal>();
    failNext = 0;
    lifetime = LIFETIME;

    constructor(private readonly clock: FakeClock) {}

    readonly mint = async (batch: MintBatch): Promise<ReadonlyMap<string, MintOutcome>> => {
        this.calls.push(batch);
        await flushPromises();
        if (this.failNext > 0) {
            this.failNext -= 1;
            throw new Error('query rejected');
        }
        const iat = Math.floor(this.clock.now() / 1000);
        return new Map(
            batch.memoryIds.map((id): [string, MintOutcome] => {
                const refusal = this.refusals.get(id);
                if (refusal) return [id, { ok: false, refusal }];
                return [id, { ok: true, token: testToken(id, batch.variants, iat, this.lifetime), bucket: TEST_BUCKET, expiresAt: iat + this.lifetime }];
            })
        );
    };

    idsMinted(): string[] {
        return this.calls.flatMap((call) => [...call.memoryIds]);
    }
}

function setup() {
    const clock = new FakeClock();
    const visibility = new FakeVisibility();
    const minter = new FakeMinter(clock);
    const store = new TokenStore({ mint: minter.mint, clock, visibility });
    return { clock, visibility, minter, store };
}

function token(store: TokenStore, id: string): string | undefined {
    const state = store.get(id);
    return state.status === 'ready' ? state.token : undefined;
}

describe('TokenStore', () => {
    it('batches every component mounted together into one mint_http_tokens query', async () => {
        const { clock, minter, store } = setup();
        const ids = Array.from({ length: 40 }, (_, i) => `m${i}`);
        for (const id of ids) store.subscribe(id, GALLERY, () => undefined);
        // A second component showing the same memory shares its token.
        store.subscribe('m0', ['thumbnail'], () => undefined);
        expect(minter.calls).toHaveLength(0);
        await clock.advance(0);
        expect(minter.calls).toHaveLength(1);
        expect(minter.calls[0]!.memoryIds).toEqual(ids);
        expect(minter.calls[0]!.variants).toEqual(['thumbnail', 'preview', 'placeholder']);
        for (const id of ids) expect(store.get(id)).toMatchObject({ status: 'ready', bucket: TEST_BUCKET, variants: ['thumbnail', 'preview', 'placeholder'] });
    });

    it('mints a page prefetched before its tiles render once, not again when they subscribe', async () => {
        const { clock, minter, store } = setup();
        store.prefetch(['a', 'b', 'c'], GALLERY);
        await clock.advance(0);
        for (const id of ['a', 'b', 'c']) store.subscribe(id, GALLERY, () => undefined);
        await clock.advance(1_000);
        expect(minter.calls).toHaveLength(1);
    });

    it('notifies subscribers when the token arrives and keeps the same state object until it changes', async () => {
        const { clock, store } = setup();
        let notified = 0;
        store.subscribe('a', GALLERY, () => notified++);
        const pending = store.get('a');
        expect(store.get('a')).toBe(pending);
        await clock.advance(0);
        expect(notified).toBe(1);
        const ready = store.get('a');
        expect(store.get('a')).toBe(ready);
    });

    it('re-mints at three quarters of the lifetime, every memory of the page in one query, while shown', async () => {
        const { clock, minter, store } = setup();
        for (const id of ['a', 'b', 'c']) store.subscribe(id, GALLERY, () => undefined);
        await clock.advance(0);
        const first = token(store, 'a');
        await clock.advance(134_000);
        expect(minter.calls).toHaveLength(1);
        await clock.advance(1_000);
        expect(minter.calls).toHaveLength(2);
        expect(minter.calls[1]!.memoryIds).toEqual(['a', 'b', 'c']);
        expect(token(store, 'a')).not.toBe(first);
        // Several lifetimes later it still holds a token that has not expired.
        await clock.advance(5 * LIFETIME * 1000);
        expect(minter.calls).toHaveLength(2 + Math.floor((5 * LIFETIME) / 135));
        const state = store.get('a');
        expect(state.status === 'ready' && state.expiresAt * 1000).toBeGreaterThan(clock.now());
    });

    it('renews tokens that arrived moments apart in one query', async () => {
        const { clock, minter, store } = setup();
        store.subscribe('a', GALLERY, () => undefined);
        await clock.advance(0);
        await clock.advance(300);
        store.subscribe('b', GALLERY, () => undefined);
        await clock.advance(0);
        expect(minter.calls).toHaveLength(2);
        await clock.advance(135_000);
        expect(minter.calls).toHaveLength(3);
        expect(minter.calls[2]!.memoryIds).toEqual(['a', 'b']);
    });

    it('takes the lifetime from the token itself, so a short configured TTL re-mints sooner', async () => {
        const { clock, minter, store } = setup();
        minter.lifetime = 8;
        store.subscribe('a', GALLERY, () => undefined);
        await clock.advance(0);
        await clock.advance(6_000);
        expect(minter.calls).toHaveLength(2);
        await clock.advance(60_000);
        expect(minter.calls).toHaveLength(12);
    });

    it('does not re-mint while the tab is hidden, and re-mints everything due in one query when it is back', async () => {
        const { clock, visibility, minter, store } = setup();
        for (const id of ['a', 'b']) store.subscribe(id, GALLERY, () => undefined);
        await clock.advance(0);
        visibility.set(true);
        await clock.advance(10 * LIFETIME * 1000);
        expect(minter.calls).toHaveLength(1);
        // The tokens died meanwhile: components wait for new ones rather than load with dead ones.
        expect(store.get('a').status).toBe('ready');
        visibility.set(false);
        expect(store.get('a').status).toBe('pending');
        await clock.advance(0);
        expect(minter.calls).toHaveLength(2);
        expect(minter.calls[1]!.memoryIds).toEqual(['a', 'b']);
        expect(store.get('a').status).toBe('ready');
    });

    it('stops re-minting memories nobody shows any more', async () => {
        const { clock, minter, store } = setup();
        const unsubscribe = store.subscribe('a', GALLERY, () => undefined);
        store.subscribe('b', GALLERY, () => undefined);
        await clock.advance(0);
        unsubscribe();
        await clock.advance(3 * LIFETIME * 1000);
        expect(minter.idsMinted().filter((id) => id === 'a')).toHaveLength(1);
        expect(minter.idsMinted().filter((id) => id === 'b').length).toBeGreaterThan(3);
        // Shown again later: a fresh token at once.
        store.subscribe('a', GALLERY, () => undefined);
        expect(store.get('a').status).toBe('pending');
        await clock.advance(0);
        expect(minter.idsMinted().filter((id) => id === 'a')).toHaveLength(2);
    });

    it('re-mints once when many loads fail with the same token, and answers later callers at once', async () => {
        const { clock, minter, store } = setup();
        store.subscribe('a', GALLERY, () => undefined);
        await clock.advance(0);
        const failed = token(store, 'a')!;
        const results = [store.refresh('a', failed), store.refresh('a', failed), store.refresh('a', failed)];
        await clock.advance(0);
        const states = await Promise.all(results);
        expect(minter.calls).toHaveLength(2);
        const fresh = token(store, 'a');
        expect(fresh).not.toBe(failed);
        for (const state of states) expect(state).toMatchObject({ status: 'ready', token: fresh });
        // A failure reported with the old token after the refresh does not mint again.
        expect(await store.refresh('a', failed)).toMatchObject({ token: fresh });
        await clock.advance(0);
        expect(minter.calls).toHaveLength(2);
    });

    it('renews the whole batch of a token the bucket refused, in one query', async () => {
        const { clock, minter, store } = setup();
        for (const id of ['a', 'b', 'c']) store.subscribe(id, GALLERY, () => undefined);
        store.subscribe('later', GALLERY, () => undefined);
        await clock.advance(0);
        await clock.advance(5_000);
        store.subscribe('other', GALLERY, () => undefined);
        await clock.advance(0);
        expect(minter.calls).toHaveLength(2);
        const failed = { a: token(store, 'a')!, b: token(store, 'b')! };
        const first = store.refresh('a', failed.a, true);
        await clock.advance(0);
        // b's own failure arrives while the renewal is in flight: no query of its own.
        const second = store.refresh('b', failed.b, true);
        await clock.advance(0);
        await Promise.all([first, second]);
        expect(minter.calls).toHaveLength(3);
        expect(minter.calls[2]!.memoryIds).toEqual(['a', 'b', 'c', 'later']);
        expect(token(store, 'b')).not.toBe(failed.b);
        // A failure that concerns one memory only (404 check) renews only it.
        store.refresh('other', token(store, 'other')!);
        await clock.advance(0);
        expect(minter.calls[3]!.memoryIds).toEqual(['other']);
    });

    it('treats a refusal (deleted memory, revoked share) as final: placeholder, no more queries', async () => {
        const { clock, minter, store } = setup();
        store.subscribe('a', GALLERY, () => undefined);
        store.subscribe('b', GALLERY, () => undefined);
        await clock.advance(0);
        minter.refusals.set('a', { kind: 'no-access' });
        await clock.advance(LIFETIME * 1000);
        expect(store.get('a')).toEqual({ status: 'denied', reason: 'no-access' });
        const before = minter.idsMinted().filter((id) => id === 'a').length;
        await clock.advance(10 * LIFETIME * 1000);
        expect(await store.refresh('a', 'whatever')).toEqual({ status: 'denied', reason: 'no-access' });
        store.subscribe('a', ['original'], () => undefined);
        await clock.advance(LIFETIME * 1000);
        expect(minter.idsMinted().filter((id) => id === 'a')).toHaveLength(before);
        expect(store.get('b').status).toBe('ready');
    });

    it('retries a failed query a bounded number of times, then waits for the person', async () => {
        const { clock, minter, store } = setup();
        minter.failNext = 100;
        store.subscribe('a', GALLERY, () => undefined);
        await clock.advance(0);
        expect(store.get('a')).toMatchObject({ status: 'failed', retrying: true });
        await clock.advance(3_600_000);
        expect(minter.calls).toHaveLength(5); // the first try and four retries
        expect(store.get('a')).toMatchObject({ status: 'failed', retrying: false, message: 'query rejected' });
        minter.failNext = 0;
        store.retry('a');
        await clock.advance(0);
        expect(minter.calls).toHaveLength(6);
        expect(store.get('a').status).toBe('ready');
    });

    it('keeps a token that still works while a re-mint is retried', async () => {
        const { clock, minter, store } = setup();
        store.subscribe('a', GALLERY, () => undefined);
        await clock.advance(0);
        const first = token(store, 'a');
        minter.failNext = 1;
        await clock.advance(135_000);
        expect(token(store, 'a')).toBe(first);
        await clock.advance(1_000);
        expect(token(store, 'a')).not.toBe(first);
        expect(minter.calls).toHaveLength(3);
    });

    it('widens the token when a view needs more variants, and the wider token serves both', async () => {
        const { clock, minter, store } = setup();
        store.subscribe('a', GALLERY, () => undefined);
        await clock.advance(0);
        store.subscribe('a', ['preview', 'original'], () => undefined);
        await clock.advance(0);
        expect(minter.calls.map((call) => call.variants)).toEqual([
            ['thumbnail', 'preview', 'placeholder'],
            ['thumbnail', 'preview', 'placeholder', 'original']
        ]);
        expect(store.get('a')).toMatchObject({ status: 'ready', variants: ['thumbnail', 'preview', 'placeholder', 'original'] });
        store.subscribe('a', ['thumbnail'], () => undefined);
        await clock.advance(0);
        expect(minter.calls).toHaveLength(2);
    });

    it('stops everything when disposed (sign-out)', async () => {
        const { clock, minter, store } = setup();
        store.subscribe('a', GALLERY, () => undefined);
        await clock.advance(0);
        store.dispose();
        await clock.advance(10 * LIFETIME * 1000);
        expect(minter.calls).toHaveLength(1);
        expect(clock.pendingTimers).toBe(0);
    });
});
