/**
 * PocketIC's port-file handshake: the file is created exclusively at startup (if it already
 * exists, another server owns it and this one must not start), the port followed by "\n" is
 * written once listening, and the file is removed on shutdown. Readers poll until the content
 * parses (PicJS) or ends with a newline (the Rust client).
 */
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

export class PortFile {
    private constructor(
        readonly path: string,
        private handle: FileHandle | undefined
    ) {}

    /** Creates the file exclusively; undefined when it already exists. */
    static async claim(path: string): Promise<PortFile | undefined> {
        try {
            return new PortFile(path, await open(path, 'wx'));
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
            throw error;
        }
    }

    /** Writes "<port>\n" in a single write so readers never see a partial number. */
    async publish(port: number): Promise<void> {
        const handle = this.handle;
        if (!handle) return;
        this.handle = undefined;
        try {
            await handle.write(`${port}\n`);
        } finally {
            await handle.close();
        }
    }

    async remove(): Promise<void> {
        const handle = this.handle;
        this.handle = undefined;
        await handle?.close().catch(() => undefined);
        await rm(this.path, { force: true });
    }
}
