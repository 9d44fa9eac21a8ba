/**
 * PocketIC's `--ttl`: the server shuts down once no request has been in flight for `ttl` seconds.
 * A request keeps the server alive while it runs and restarts the countdown when it completes.
 */
export class IdleTracker {
    private pending = 0;
    private lastActivity = Date.now();
    private timer: NodeJS.Timeout | undefined;

    requestStarted(): void {
        this.pending++;
        this.lastActivity = Date.now();
    }

    requestFinished(): void {
        this.pending = Math.max(0, this.pending - 1);
        this.lastActivity = Date.now();
    }

    /** Calls `onExpired` once when the server has been idle for longer than `ttlMs`. */
    start(ttlMs: number, onExpired: () => void): void {
        this.stop();
        const check = () => {
            if (this.pending === 0 && Date.now() - this.lastActivity > ttlMs) {
                this.stop();
                onExpired();
            }
        };
        this.timer = setInterval(check, Math.max(10, Math.min(1_000, ttlMs)));
        // The listening socket keeps the process alive; this timer must not on its own.
        this.timer.unref();
    }

    stop(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
    }
}
