/**
 * When to ask again. A token is re-minted once three quarters of its lifetime have passed, so a
 * fresh one is in hand well before expiry even after a slow query; transient mint failures are
 * retried a bounded number of times with growing delays, then left for the person to retry.
 */

/** Delay after a successful mint before the next one, in ms. */
export function remintDelayMs(lifetimeSeconds: number): number {
    return Math.max(1_000, Math.floor(lifetimeSeconds * 1_000 * 0.75));
}

/** Delays before retrying a mint that failed for a transient reason; then no more retries. */
export const MINT_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 10_000, 30_000];
