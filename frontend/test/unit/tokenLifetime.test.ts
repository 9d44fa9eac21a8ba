import { describe, expect, it } from 'vitest';
import { tokenLifetimeSeconds } from '../../src/tokens/tokenLifetime';
import { testToken } from '../support/tokens';

describe('tokenLifetimeSeconds', () => {
    it('reads exp − iat from the token, whatever the local clock says', () => {
        expect(tokenLifetimeSeconds(testToken('m1', ['thumbnail'], 1_000, 180))).toBe(180);
        expect(tokenLifetimeSeconds(testToken('m1', ['thumbnail'], 2_000_000_000, 7))).toBe(7);
    });

    it('answers undefined for anything that is not a token', () => {
        for (const bad of ['', 'abc', '!!!!', 'A'.repeat(50), testToken('m1', ['thumbnail'], 1_000, 180).slice(0, 40)]) expect(tokenLifetimeSeconds(bad)).toBeUndefined();
    });
});
