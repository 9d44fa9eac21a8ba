/**
 * Executes the ingress messages submitted through the IC HTTP interface. The core only runs when
 * something drives it (PocketIC semantics), but an agent that sends a call expects it to complete
 * on its own, as on a replica. So every submitted message is tracked and rounds are run, one per
 * event-loop turn, until all tracked messages have an outcome: the event loop is never held for
 * more than one round, and many concurrent calls share the same rounds.
 *
 * Also remembers each message's receiver, which read_state needs to apply delegation targets to
 * `request_status` paths (the core's ingress record only knows the sender).
 */
import type { Principal } from '@icp-sdk/core/principal';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { CanisterCall } from '../core/localIc';
import type { LocalNetwork } from '../core/localNetwork';
import { requestIdHex } from './requestId';

/** How long a tracked message may stay incomplete (its ingress expiry bounds it on the IC). */
const MAX_TRACKING_MS = 6 * 60 * 1000;
/** Pause between rounds in which nothing ran (e.g. waiting for a timer or for time to advance). */
const IDLE_PAUSE_MS = 20;
/** Receivers kept for read_state, oldest forgotten first. */
const MAX_REMEMBERED_RECEIVERS = 100_000;

interface Tracked {
    readonly requestId: Uint8Array;
    readonly giveUpAt: number;
    readonly waiters: ((completed: boolean) => void)[];
}

export class IngressDriver {
    readonly #pending = new Map<string, Tracked>();
    readonly #receivers = new Map<string, Principal>();
    #running = false;
    #failure: unknown;

    constructor(private readonly network: LocalNetwork) {}

    /**
     * Queues the message (a duplicate of a known request id is not queued again, as on the IC) and
     * resolves true once it has an outcome, false if it is given up or forgotten by the core.
     */
    submit(call: CanisterCall, requestId: Uint8Array): Promise<boolean> {
        const key = requestIdHex(requestId);
        this.#remember(key, call.canisterId);
        if (!this.network.ingressRecord(requestId)) this.network.submitWithId(call, requestId);
        return this.#track(key, requestId);
    }

    receiverOf(requestId: Uint8Array): Principal | undefined {
        return this.#receivers.get(requestIdHex(requestId));
    }

    #track(key: string, requestId: Uint8Array): Promise<boolean> {
        const record = this.network.ingressRecord(requestId);
        if (!record || record.outcome) return Promise.resolve(record !== undefined);
        return new Promise((resolve, reject) => {
            let tracked = this.#pending.get(key);
            if (!tracked) {
                tracked = { requestId, giveUpAt: Date.now() + MAX_TRACKING_MS, waiters: [] };
                this.#pending.set(key, tracked);
            }
            tracked.waiters.push((completed) => (this.#failure === undefined ? resolve(completed) : reject(this.#failure)));
            if (!this.#running) void this.#run();
        });
    }

    async #run(): Promise<void> {
        this.#running = true;
        this.#failure = undefined;
        try {
            while (this.#pending.size > 0) {
                let worked: boolean;
                try {
                    worked = this.network.runRound();
                } catch (error) {
                    this.#failure = error;
                    this.#settle(() => true);
                    return;
                }
                this.#settle((tracked) => Date.now() > tracked.giveUpAt);
                if (this.#pending.size === 0) break;
                // Unreferenced: pending messages alone must not keep a shutting-down process alive.
                await (worked ? nextTurn(undefined, { ref: false }) : sleep(IDLE_PAUSE_MS, undefined, { ref: false }));
            }
        } finally {
            this.#running = false;
        }
    }

    /** Answers the waiters of messages that completed, vanished, or are given up. */
    #settle(giveUp: (tracked: Tracked) => boolean): void {
        for (const [key, tracked] of this.#pending) {
            const record = this.network.ingressRecord(tracked.requestId);
            const completed = record?.outcome !== undefined;
            if (completed || !record || giveUp(tracked)) {
                this.#pending.delete(key);
                for (const waiter of tracked.waiters) waiter(completed);
            }
        }
    }

    #remember(key: string, receiver: Principal): void {
        this.#receivers.delete(key);
        this.#receivers.set(key, receiver);
        if (this.#receivers.size > MAX_REMEMBERED_RECEIVERS) {
            const oldest = this.#receivers.keys().next().value;
            if (oldest !== undefined) this.#receivers.delete(oldest);
        }
    }
}

const drivers = new WeakMap<LocalNetwork, IngressDriver>();

/** One driver per instance, shared by every handler serving it. */
export function ingressDriverFor(network: LocalNetwork): IngressDriver {
    let driver = drivers.get(network);
    if (!driver) {
        driver = new IngressDriver(network);
        drivers.set(network, driver);
    }
    return driver;
}
