/**
 * The read tokens of every memory on screen, shared by all components that show it.
 *
 * - Requests made in the same tick are batched into `mint_http_tokens` queries (mintBatches.ts).
 * - A token is re-minted before it expires (remintPolicy.ts) while someone shows the memory and
 *   the tab is visible; while hidden nothing is minted, and on return every due token is
 *   re-minted in one batch.
 * - A component whose load failed asks for a fresh token with `refresh(memoryId, failedToken)`:
 *   only the first such request for a token mints, the others get its result.
 * - A refusal by the auth canister (`no-access`) is final for this memory: no more mints.
 *
 * Time and visibility are injected, so tests drive it with a fake clock.
 */
import type { Variant } from '@icp-private-assets/shared';
import { canonicalVariants, planMintBatches, type MintBatch } from './mintBatches';
import { MINT_RETRY_DELAYS_MS, remintDelayMs } from './remintPolicy';
import { tokenLifetimeSeconds } from './tokenLifetime';

export type MintRefusal =
    /** NotFound / NotAuthorized: deleted, never shared, or no longer shared. */
    | { readonly kind: 'no-access' }
    | { readonly kind: 'signed-out' }
    /** Worth retrying later (NotReady, a failed query). */
    | { readonly kind: 'transient'; readonly message: string }
    /** Retrying cannot help (InvalidRequest). */
    | { readonly kind: 'invalid'; readonly message: string };

export type MintOutcome =
    | { readonly ok: true; readonly token: string; readonly bucket: string; readonly expiresAt: number }
    | { readonly ok: false; readonly refusal: MintRefusal };

/** One `mint_http_tokens` query; a rejected promise counts as a transient failure for every id. */
export type MintCall = (batch: MintBatch) => Promise<ReadonlyMap<string, MintOutcome>>;

export type TokenState =
    | { readonly status: 'pending' }
    | {
          readonly status: 'ready';
          readonly token: string;
          /** The bucket canister that holds the memory (the URL host). */
          readonly bucket: string;
          /** Seconds, on the IC's clock. */
          readonly expiresAt: number;
          readonly variants: readonly Variant[];
      }
    | { readonly status: 'denied'; readonly reason: 'no-access' | 'signed-out' }
    | { readonly status: 'failed'; readonly message: string; readonly retrying: boolean };

export interface Clock {
    now(): number;
    setTimeout(callback: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

export interface Visibility {
    isHidden(): boolean;
    onChange(listener: () => void): () => void;
}

export const PENDING: TokenState = Object.freeze({ status: 'pending' });

/**
 * Tokens due within this window of each other are renewed together: tokens of one page arrive
 * a few ms apart, and their renewals should still be one query.
 */
export const RENEWAL_COALESCE_MS = 1_000;

interface Consumer {
    readonly variants: readonly Variant[];
    readonly listener: () => void;
}

interface Entry {
    state: TokenState;
    readonly consumers: Set<Consumer>;
    /** Variants asked for by anyone since the entry exists (a new token covers them all). */
    readonly wanted: Set<Variant>;
    /** Local ms after which the token should be replaced, and after which it is dead. */
    freshUntil: number;
    validUntil: number;
    timer: unknown;
    sentSeq: number;
    appliedSeq: number;
    /** The mint query the current token came from (tokens of one query share age and key). */
    batch: number;
    /** Variants of the mint in flight, if any. */
    inFlight: ReadonlySet<Variant> | undefined;
    failures: number;
    waiters: Array<(state: TokenState) => void>;
}

export interface TokenStoreOptions {
    readonly mint: MintCall;
    readonly clock: Clock;
    readonly visibility: Visibility;
}

export class TokenStore {
    readonly #mint: MintCall;
    readonly #clock: Clock;
    readonly #visibility: Visibility;
    readonly #entries = new Map<string, Entry>();
    readonly #queued = new Map<string, Set<Variant>>();
    #flushScheduled = false;
    #batches = 0;
    #disposed = false;
    readonly #stopWatchingVisibility: () => void;

    constructor(options: TokenStoreOptions) {
        this.#mint = options.mint;
        this.#clock = options.clock;
        this.#visibility = options.visibility;
        this.#stopWatchingVisibility = this.#visibility.onChange(() => {
            if (!this.#visibility.isHidden()) this.#renewDue();
        });
    }

    /** The current state; the same object until it changes (for useSyncExternalStore). */
    get(memoryId: string): TokenState {
        return this.#entries.get(memoryId)?.state ?? PENDING;
    }

    /** Registers a component showing `memoryId` with `variants`; returns the unsubscribe function. */
    subscribe(memoryId: string, variants: readonly Variant[], listener: () => void): () => void {
        const entry = this.#entry(memoryId);
        const consumer: Consumer = { variants, listener };
        entry.consumers.add(consumer);
        this.#want(memoryId, variants);
        this.#renewIfDue(memoryId);
        return () => {
            entry.consumers.delete(consumer);
        };
    }

    /** Mints tokens for a page of memories ahead of its components (one batch). */
    prefetch(memoryIds: readonly string[], variants: readonly Variant[]): void {
        for (const memoryId of memoryIds) this.#want(memoryId, variants);
    }

    /**
     * A load with `failedToken` failed in a way a new token may cure. Mints once per token:
     * when the memory already has another token, that one is returned at once.
     *
     * `wholeBatch`: the bucket refused the token itself (expired, key retired): the tokens minted
     * in the same query share its age and key, so they are renewed in the same query, before
     * their own loads fail one by one.
     */
    refresh(memoryId: string, failedToken: string, wholeBatch = false): Promise<TokenState> {
        const entry = this.#entry(memoryId);
        const state = entry.state;
        if (state.status === 'denied' || (state.status === 'ready' && state.token !== failedToken)) return Promise.resolve(state);
        return new Promise((resolve) => {
            entry.waiters.push(resolve);
            if (entry.inFlight !== undefined) return;
            this.#queue(memoryId);
            if (!wholeBatch || state.status !== 'ready') return;
            for (const [otherId, other] of this.#entries) {
                if (other.batch === entry.batch && other !== entry && other.state.status === 'ready' && other.inFlight === undefined && other.consumers.size > 0) this.#queue(otherId);
            }
        });
    }

    /** Tries again after mints failed for good (a person pressed "Try again"). */
    retry(memoryId: string): void {
        const entry = this.#entries.get(memoryId);
        if (!entry || entry.state.status !== 'failed') return;
        entry.failures = 0;
        this.#setState(entry, PENDING);
        this.#queue(memoryId);
    }

    dispose(): void {
        this.#disposed = true;
        this.#stopWatchingVisibility();
        for (const entry of this.#entries.values()) this.#clock.clearTimeout(entry.timer);
        this.#entries.clear();
        this.#queued.clear();
    }

    #entry(memoryId: string): Entry {
        let entry = this.#entries.get(memoryId);
        if (!entry) {
            entry = {
                state: PENDING,
                consumers: new Set(),
                wanted: new Set(),
                freshUntil: 0,
                validUntil: 0,
                timer: undefined,
                sentSeq: 0,
                appliedSeq: 0,
                batch: 0,
                inFlight: undefined,
                failures: 0,
                waiters: []
            };
            this.#entries.set(memoryId, entry);
        }
        return entry;
    }

    /** Adds variants to what the memory's token must cover, minting when the current one does not. */
    #want(memoryId: string, variants: readonly Variant[]): void {
        const entry = this.#entry(memoryId);
        for (const variant of variants) entry.wanted.add(variant);
        const state = entry.state;
        if (state.status === 'denied' || (state.status === 'failed' && !state.retrying)) return;
        const covered = (have: Iterable<Variant>) => {
            const set = new Set(have);
            return variants.every((variant) => set.has(variant));
        };
        if (entry.inFlight !== undefined && covered(entry.inFlight)) return;
        if (this.#queued.has(memoryId)) {
            this.#queue(memoryId); // widen the queued request
            return;
        }
        if (state.status === 'ready' && covered(state.variants)) return;
        if (state.status === 'failed') return; // its retry timer will ask
        this.#queue(memoryId);
    }

    /** Renews every token due now or within the coalescing window (one query for all of them). */
    #renewDue(): void {
        const horizon = this.#clock.now() + RENEWAL_COALESCE_MS;
        for (const memoryId of this.#entries.keys()) this.#renewIfDue(memoryId, horizon);
    }

    /** Re-mints a memory someone shows whose token is due by `horizon`, unless the tab is hidden. */
    #renewIfDue(memoryId: string, horizon = this.#clock.now()): void {
        const entry = this.#entries.get(memoryId);
        if (!entry || entry.state.status !== 'ready' || entry.inFlight !== undefined || this.#queued.has(memoryId)) return;
        const now = this.#clock.now();
        if (horizon < entry.freshUntil) return;
        if (entry.consumers.size === 0) {
            // Nobody shows it: let it lapse; a later subscriber gets a fresh one.
            if (now >= entry.validUntil) this.#setState(entry, PENDING);
            return;
        }
        if (this.#visibility.isHidden()) return;
        if (now >= entry.validUntil) this.#setState(entry, PENDING); // never hand out a dead token
        this.#queue(memoryId);
    }

    #queue(memoryId: string): void {
        const entry = this.#entry(memoryId);
        this.#queued.set(memoryId, new Set(entry.wanted));
        if (this.#flushScheduled) return;
        this.#flushScheduled = true;
        // One macrotask: every component mounted in this render asks before the query goes out.
        this.#clock.setTimeout(() => this.#flush(), 0);
    }

    #flush(): void {
        this.#flushScheduled = false;
        if (this.#disposed) return;
        const requests = new Map(this.#queued);
        this.#queued.clear();
        for (const batch of planMintBatches(requests)) {
            const batchNumber = ++this.#batches;
            const sent = new Map<string, number>();
            for (const memoryId of batch.memoryIds) {
                const entry = this.#entry(memoryId);
                entry.sentSeq += 1;
                entry.inFlight = new Set(batch.variants);
                sent.set(memoryId, entry.sentSeq);
            }
            this.#mint(batch).then(
                (outcomes) => {
                    for (const [memoryId, seq] of sent) {
                        const outcome = outcomes.get(memoryId) ?? { ok: false, refusal: { kind: 'transient', message: 'no answer for this memory' } };
                        this.#apply(memoryId, seq, batch.variants, outcome, batchNumber);
                    }
                },
                (error: unknown) => {
                    const refusal: MintRefusal = { kind: 'transient', message: error instanceof Error ? error.message : String(error) };
                    for (const [memoryId, seq] of sent) this.#apply(memoryId, seq, batch.variants, { ok: false, refusal });
                }
            );
        }
    }

    #apply(memoryId: string, seq: number, variants: readonly Variant[], outcome: MintOutcome, batchNumber = 0): void {
        if (this.#disposed) return;
        const entry = this.#entries.get(memoryId);
        if (!entry || seq <= entry.appliedSeq) return;
        entry.appliedSeq = seq;
        if (seq === entry.sentSeq) entry.inFlight = undefined;
        this.#clock.clearTimeout(entry.timer);
        entry.timer = undefined;
        const now = this.#clock.now();
        if (outcome.ok) {
            entry.failures = 0;
            entry.batch = batchNumber;
            const lifetime = tokenLifetimeSeconds(outcome.token) ?? Math.max(1, outcome.expiresAt - now / 1_000);
            entry.freshUntil = now + remintDelayMs(lifetime);
            entry.validUntil = now + lifetime * 1_000;
            entry.timer = this.#clock.setTimeout(() => this.#renewDue(), entry.freshUntil - now);
            this.#setState(entry, { status: 'ready', token: outcome.token, bucket: outcome.bucket, expiresAt: outcome.expiresAt, variants: canonicalVariants(variants) });
            // Someone asked for more variants while this mint was in flight.
            const have = new Set(variants);
            if ([...entry.wanted].some((variant) => !have.has(variant)) && entry.consumers.size > 0) this.#queue(memoryId);
        } else {
            const { refusal } = outcome;
            if (refusal.kind === 'no-access' || refusal.kind === 'signed-out') {
                this.#setState(entry, { status: 'denied', reason: refusal.kind });
            } else if (refusal.kind === 'invalid') {
                this.#setState(entry, { status: 'failed', message: refusal.message, retrying: false });
            } else {
                const delay = MINT_RETRY_DELAYS_MS[entry.failures];
                entry.failures += 1;
                const stillValid = entry.state.status === 'ready' && now < entry.validUntil;
                if (delay !== undefined) {
                    entry.timer = this.#clock.setTimeout(() => {
                        entry.timer = undefined;
                        if (entry.consumers.size > 0 || entry.waiters.length > 0) this.#queue(memoryId);
                    }, delay);
                }
                // A token that still works stays in use while we retry.
                if (!stillValid) this.#setState(entry, { status: 'failed', message: refusal.message, retrying: delay !== undefined });
            }
        }
        const waiters = entry.waiters.splice(0);
        for (const resolve of waiters) resolve(entry.state);
    }

    #setState(entry: Entry, state: TokenState): void {
        entry.state = state;
        for (const consumer of [...entry.consumers]) consumer.listener();
    }
}
