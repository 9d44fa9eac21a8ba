/**
 * localnet test canister: stable vs heap state, traps, queries that mutate, instruction limits,
 * large replies, certified data and timers. Each method exists to make one localnet behaviour
 * observable from a test.
 */
import {
    certifiedDataSet,
    dataCertificate,
    IDL,
    performanceCounter,
    postUpgrade,
    query,
    setTimer,
    StableBTreeMap,
    time,
    trap,
    update
} from 'azle';

export default class {
    /** Survives upgrades. */
    counts = new StableBTreeMap<string, bigint>(0);
    /** Lost on upgrade (class fields are re-initialised when the JS re-runs). */
    heapCounter = 0n;
    timerFirings = 0n;
    upgraded = false;

    @postUpgrade([])
    postUpgrade(): void {
        this.upgraded = true;
    }

    @update([IDL.Text], IDL.Nat64)
    increment(key: string): bigint {
        const next = (this.counts.get(key) ?? 0n) + 1n;
        this.counts.insert(key, next);
        this.heapCounter += 1n;
        return next;
    }

    @query([IDL.Text], IDL.Nat64)
    get(key: string): bigint {
        return this.counts.get(key) ?? 0n;
    }

    /** Writes to stable and heap memory, then traps: nothing may persist. */
    @update([IDL.Text], IDL.Nat64)
    incrementThenTrap(key: string): bigint {
        this.counts.insert(key, (this.counts.get(key) ?? 0n) + 1000n);
        this.heapCounter += 1000n;
        trap(`trapped after writing ${key}`);
    }

    /** A query that mutates state: the change must be discarded. */
    @query([IDL.Text], IDL.Nat64)
    incrementInQuery(key: string): bigint {
        const next = (this.counts.get(key) ?? 0n) + 1n;
        this.counts.insert(key, next);
        this.heapCounter += 1n;
        return next;
    }

    @query([], IDL.Nat64)
    heap(): bigint {
        return this.heapCounter;
    }

    @query([], IDL.Bool)
    wasUpgraded(): boolean {
        return this.upgraded;
    }

    /** Loops until the query instruction limit stops it. */
    @query([], IDL.Nat64)
    spin(): bigint {
        let i = 0n;
        for (;;) i += 1n;
    }

    /** A reply of `size` bytes (the blob plus a few bytes of Candid framing). */
    @query([IDL.Nat32], IDL.Vec(IDL.Nat8))
    blob(size: number): Uint8Array {
        return new Uint8Array(size).fill(7);
    }

    @update([IDL.Vec(IDL.Nat8)])
    certify(data: Uint8Array): void {
        certifiedDataSet(data);
    }

    @query([], IDL.Opt(IDL.Vec(IDL.Nat8)))
    certificate(): [Uint8Array] | [] {
        const certificate = dataCertificate();
        return certificate === undefined ? [] : [certificate];
    }

    @update([IDL.Nat64])
    scheduleTimer(seconds: bigint): void {
        setTimer(Number(seconds), () => {
            this.timerFirings += 1n;
        });
    }

    @query([], IDL.Nat64)
    timerFired(): bigint {
        return this.timerFirings;
    }

    @query([], IDL.Nat64)
    now(): bigint {
        return time();
    }

    /** Instructions this query executed so far (ic0.performance_counter(0)). */
    @query([], IDL.Nat64)
    instructionsSoFar(): bigint {
        return performanceCounter(0);
    }
}
