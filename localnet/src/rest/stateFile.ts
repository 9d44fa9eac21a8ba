/**
 * The state file of a `localnet` server started for development (one port, default instance):
 * where it listens and what a tool needs to talk to the default instance, written once listening
 * and removed on shutdown. Tools read it instead of parsing stdout.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface LocalnetState {
    /** Base URL of the one port: REST (PicJS), IC HTTP interface (agents), HTTP gateway (browsers). */
    readonly url: string;
    readonly port: number;
    /** The default instance's id in the REST protocol (`/instances/<id>/…`). */
    readonly instanceId: number;
    /** DER root key agents need (`agent.fetchRootKey()` returns the same). */
    readonly rootKeyHex: string;
    /** Canister id text to use as effective canister id for provisional canister creation. */
    readonly defaultEffectiveCanisterId: string;
    readonly pid: number;
}

export class StateFileBusyError extends Error {
    override name = 'StateFileBusyError';
}

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        // EPERM: the process exists but belongs to someone else.
        return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
}

async function readState(path: string): Promise<Partial<LocalnetState> | undefined> {
    try {
        return JSON.parse(await readFile(path, 'utf8')) as Partial<LocalnetState>;
    } catch {
        return undefined;
    }
}

export class StateFile {
    private constructor(readonly path: string) {}

    /** Refuses a file that names another running localnet; a stale file is overwritten later. */
    static async claim(path: string): Promise<StateFile> {
        const existing = await readState(path);
        const pid = existing?.pid;
        if (typeof pid === 'number' && pid !== process.pid && isRunning(pid)) {
            throw new StateFileBusyError(`state file ${path} belongs to a running localnet (pid ${pid}); stop it or pass another --state-file`);
        }
        return new StateFile(path);
    }

    /** Writes atomically (temporary file + rename), so readers never see half a document. */
    async publish(state: LocalnetState): Promise<void> {
        await mkdir(dirname(this.path), { recursive: true });
        const temporary = `${this.path}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
        await rename(temporary, this.path);
    }

    /** Removes the file if it is still ours. */
    async remove(): Promise<void> {
        const current = await readState(this.path);
        if (current?.pid === process.pid) await rm(this.path, { force: true });
    }
}
