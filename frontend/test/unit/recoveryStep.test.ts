import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOKEN_ERROR_CODES, TOKEN_ERROR_HTTP } from '@icp-private-assets/shared';
import type { AssetFailure } from '../../src/assets/assetFailure';
import { FIRST_ATTEMPT, nextRecoveryStep, type AttemptsSoFar } from '../../src/assets/recoveryStep';

const failures: AssetFailure[] = [
    ...TOKEN_ERROR_CODES.map((code) => ({ kind: 'token' as const, code, remint: TOKEN_ERROR_HTTP[code].remint })),
    { kind: 'token', code: undefined, remint: true },
    { kind: 'not-found' },
    { kind: 'unavailable', status: 502 },
    { kind: 'undecodable' },
    { kind: 'unexpected', status: 416 }
];

/** Applies a step's effect on what was tried, as the hooks do. */
function afterStep(tried: AttemptsSoFar, action: string): AttemptsSoFar {
    if (action === 'retry-with-fresh-token' || action === 'check-access') return { ...tried, reminted: true };
    if (action === 'fallback-agent') return { ...tried, fellBack: true };
    return tried;
}

describe('nextRecoveryStep', () => {
    it('re-mints once for an expired token, then gives up saying why', () => {
        const expired: AssetFailure = { kind: 'token', code: 'EXPIRED', remint: true };
        expect(nextRecoveryStep(expired, FIRST_ATTEMPT)).toEqual({ action: 'retry-with-fresh-token' });
        expect(nextRecoveryStep(expired, { reminted: true, fellBack: false })).toEqual({ action: 'give-up', problem: { kind: 'token-refused', code: 'EXPIRED' } });
    });

    it('never re-mints for a token a new one cannot fix', () => {
        expect(nextRecoveryStep({ kind: 'token', code: 'BAD_SIGNATURE', remint: false }, FIRST_ATTEMPT)).toMatchObject({ action: 'give-up' });
    });

    it('checks access on 404 (deleted memory or asset not uploaded) and falls back to the agent on 5xx', () => {
        expect(nextRecoveryStep({ kind: 'not-found' }, FIRST_ATTEMPT)).toEqual({ action: 'check-access' });
        expect(nextRecoveryStep({ kind: 'not-found' }, { reminted: true, fellBack: false })).toEqual({ action: 'give-up', problem: { kind: 'not-uploaded' } });
        expect(nextRecoveryStep({ kind: 'unavailable', status: 502 }, FIRST_ATTEMPT)).toEqual({ action: 'fallback-agent' });
        expect(nextRecoveryStep({ kind: 'unavailable', status: 502 }, { reminted: false, fellBack: true })).toEqual({ action: 'give-up', problem: { kind: 'unavailable' } });
    });

    it('ends every sequence of failures after at most two remedies: no loop (property)', () => {
        fc.assert(
            fc.property(fc.array(fc.constantFrom(...failures), { minLength: 1, maxLength: 20 }), (sequence) => {
                let tried = FIRST_ATTEMPT;
                let remedies = 0;
                for (const failure of sequence) {
                    const step = nextRecoveryStep(failure, tried);
                    if (step.action === 'give-up') return;
                    remedies += 1;
                    tried = afterStep(tried, step.action);
                    expect(remedies).toBeLessThanOrEqual(2);
                }
            })
        );
    });
});
