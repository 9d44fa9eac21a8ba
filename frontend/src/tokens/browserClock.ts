/** The token store's clock and visibility in a browser. */
import type { Clock, Visibility } from './tokenStore';

export const browserClock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number)
};

export const documentVisibility: Visibility = {
    isHidden: () => document.visibilityState === 'hidden',
    onChange(listener) {
        document.addEventListener('visibilitychange', listener);
        return () => document.removeEventListener('visibilitychange', listener);
    }
};
