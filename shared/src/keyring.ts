/**
 * A bucket's (or minter's) set of signing keys.
 *
 * Entries are ordered oldest first. Minting uses the newest active key; verification accepts any
 * key whose not_after has not passed, which is how a rotated-out kid stays verify-only for the
 * overlap window. Secret bytes never leave this object except through `entries` (for persistence);
 * `describe()` and `toJSON()` expose only public facts, so logging a keyring leaks nothing.
 */
import { isValidKid } from './ids';
import { keyedMac, SECRET_LENGTH } from './mac';

export const KEY_STATES = ['active', 'verify-only'] as const;
export type KeyState = (typeof KEY_STATES)[number];

export interface KeyringEntry {
    readonly kid: string;
    readonly secret: Uint8Array;
    readonly state: KeyState;
    /** Last second (Unix) at which tokens signed by this key verify; absent = no limit. */
    readonly notAfter?: number;
}

export interface KeyDescription {
    readonly kid: string;
    readonly state: KeyState;
    readonly notAfter?: number;
}

export class InvalidKeyringError extends Error {
    override name = 'InvalidKeyringError';
}

interface LoadedKey {
    readonly entry: KeyringEntry;
    readonly mac: (message: Uint8Array) => Uint8Array;
}

function isUsableAt(entry: KeyringEntry, now: number): boolean {
    return entry.notAfter === undefined || now <= entry.notAfter;
}

export class Keyring {
    readonly #keys: readonly LoadedKey[];
    readonly #byKid: ReadonlyMap<string, LoadedKey>;

    private constructor(keys: LoadedKey[]) {
        this.#keys = keys;
        this.#byKid = new Map(keys.map((key) => [key.entry.kid, key]));
    }

    /** Validates and loads entries (oldest first); throws InvalidKeyringError when invalid. */
    static from(entries: readonly KeyringEntry[]): Keyring {
        const seen = new Set<string>();
        const keys = entries.map((entry, index) => {
            const where = `keyring entry ${index}`;
            if (!isValidKid(entry.kid)) throw new InvalidKeyringError(`${where}: invalid kid`);
            if (seen.has(entry.kid)) throw new InvalidKeyringError(`${where}: duplicate kid ${entry.kid}`);
            seen.add(entry.kid);
            if (!(entry.secret instanceof Uint8Array) || entry.secret.length !== SECRET_LENGTH) {
                throw new InvalidKeyringError(`${where}: secret must be ${SECRET_LENGTH} bytes`);
            }
            if (!(KEY_STATES as readonly string[]).includes(entry.state)) {
                throw new InvalidKeyringError(`${where}: state must be active or verify-only`);
            }
            if (entry.notAfter !== undefined && !Number.isSafeInteger(entry.notAfter)) {
                throw new InvalidKeyringError(`${where}: notAfter must be whole seconds`);
            }
            const copy: KeyringEntry = {
                kid: entry.kid,
                secret: Uint8Array.from(entry.secret),
                state: entry.state,
                ...(entry.notAfter !== undefined ? { notAfter: entry.notAfter } : {})
            };
            return { entry: copy, mac: keyedMac(copy.secret) };
        });
        return new Keyring(keys);
    }

    static empty(): Keyring {
        return new Keyring([]);
    }

    get size(): number {
        return this.#keys.length;
    }

    /** All entries, secrets included: for persisting the keyring, never for replies or logs. */
    get entries(): readonly KeyringEntry[] {
        return this.#keys.map((key) => key.entry);
    }

    /** Newest active key usable at `now` (seconds), if any. */
    signingKey(now: number): KeyringEntry | undefined {
        for (let i = this.#keys.length - 1; i >= 0; i--) {
            const { entry } = this.#keys[i]!;
            if (entry.state === 'active' && isUsableAt(entry, now)) return entry;
        }
        return undefined;
    }

    /** The MAC function of `kid` if that key still verifies at `now`. */
    verifierFor(kid: string, now: number): ((message: Uint8Array) => Uint8Array) | undefined {
        const key = this.#byKid.get(kid);
        return key !== undefined && isUsableAt(key.entry, now) ? key.mac : undefined;
    }

    /** Public facts only: kids, states and limits. */
    describe(): KeyDescription[] {
        return this.#keys.map(({ entry }) => ({
            kid: entry.kid,
            state: entry.state,
            ...(entry.notAfter !== undefined ? { notAfter: entry.notAfter } : {})
        }));
    }

    toJSON(): KeyDescription[] {
        return this.describe();
    }
}
