/** A manual clock for the token store: time moves only when a test says so. */
import type { Clock, Visibility } from '../../src/tokens/tokenStore';

interface Timer {
    readonly id: number;
    readonly at: number;
    readonly callback: () => void;
}

export class FakeClock implements Clock {
    #now: number;
    #timers: Timer[] = [];
    #nextId = 1;

    constructor(start = 1_800_000_000_000) {
        this.#now = start;
    }

    now(): number {
        return this.#now;
    }

    setTimeout(callback: () => void, ms: number): unknown {
        const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), callback };
        this.#timers.push(timer);
        return timer.id;
    }

    clearTimeout(handle: unknown): void {
        this.#timers = this.#timers.filter((timer) => timer.id !== handle);
    }

    get pendingTimers(): number {
        return this.#timers.length;
    }

    /** Runs every timer due within `ms`, in time order, letting promise callbacks settle between them. */
    async advance(ms: number): Promise<void> {
        const end = this.#now + ms;
        for (;;) {
            await flushPromises();
            const due = this.#timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
            if (!due) break;
            this.#timers = this.#timers.filter((timer) => timer !== due);
            this.#now = Math.max(this.#now, due.at);
            due.callback();
        }
        this.#now = end;
        await flushPromises();
    }
}

/** Lets every pending promise callback run (a real macrotask turn: all microtasks drain first). */
export function flushPromises(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}

export class FakeVisibility implements Visibility {
    hidden = false;
    #listeners = new Set<() => void>();

    isHidden(): boolean {
        return this.hidden;
    }

    onChange(listener: () => void): () => void {
        this.#listeners.add(listener);
        return () => this.#listeners.delete(listener);
    }

    set(hidden: boolean): void {
        this.hidden = hidden;
        for (const listener of this.#listeners) listener();
    }
}
