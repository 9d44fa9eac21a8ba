/**
 * What every operator command shares: exit codes (0 done, 1 needs attention or did not finish,
 * 2 bad usage or an error), usage on bad flags, and the messages of the errors it expects.
 */
import { fileURLToPath } from 'node:url';
import { IdentityFileError } from './identityFile';
import { TargetError } from './networkTarget';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export class UsageError extends Error {}

/** A refused call: the message says which and why; the command exits 2. */
export class RefusedError extends Error {}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `{ Name: detail }` → "Name: detail" (or "Name" for null variants). */
export function errName(err: Record<string, unknown>): string {
    const [name, detail] = Object.entries(err)[0] ?? ['unknown', null];
    return detail === null || detail === undefined ? name : `${name}: ${String(detail)}`;
}

/** The `Ok` of a result, or a RefusedError naming the method and the error. */
export function okOr<T>(method: string, result: { Ok: T } | { Err: Record<string, unknown> }): T {
    if ('Err' in result) throw new RefusedError(`${method} refused: ${errName(result.Err)}`);
    return result.Ok;
}

export function positiveSeconds(value: string | undefined, fallback: number, flag: string): number {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number of seconds`);
    return n;
}

/** Runs `main` and exits with its code; errors become exit 2 with a message (and the usage for bad flags). */
export function runCli(name: string, usage: string, main: (argv: string[]) => Promise<number>): void {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
                console.error(`${(error as Error).message}\n\n${usage}`);
            } else if (error instanceof TargetError || error instanceof IdentityFileError || error instanceof RefusedError) {
                console.error((error as Error).message);
            } else {
                console.error(`${name} failed: ${(error as Error).message ?? String(error)}`);
            }
            process.exit(2);
        }
    );
}
