'use client';
/** DEV ONLY (local builds): sign in as one of the named local identities. */
import { DEV_IDENTITY_NAMES } from './devIdentitySeed';

export default function DevSignIn({ onChoose, disabled }: { onChoose: (name: string) => void; disabled: boolean }) {
    return (
        <section className="dev-sign-in" aria-labelledby="dev-sign-in-title">
            <h2 id="dev-sign-in-title">Local network: sign in as a dev identity</h2>
            <p>These keys are derived from public seeds, for development only. They do not exist on mainnet builds.</p>
            <div className="dev-identities">
                {DEV_IDENTITY_NAMES.map((name) => (
                    <button key={name} type="button" onClick={() => onChoose(name)} disabled={disabled} data-dev-identity={name}>
                        Sign in as {name}
                    </button>
                ))}
            </div>
        </section>
    );
}
