/**
 * A token's lifetime in seconds (exp − iat), read from its payload (docs/token-format.md). Both
 * times come from the IC's clock, so the difference holds whatever the browser's clock says;
 * re-mints are then scheduled on the local clock from the moment the token arrived.
 */
import { base64UrlNoPad, decodePayload, MAC_LENGTH } from '@icp-private-assets/shared';

export function tokenLifetimeSeconds(token: string): number | undefined {
    try {
        const bytes = base64UrlNoPad.decode(token);
        if (bytes.length <= MAC_LENGTH) return undefined;
        const decoded = decodePayload(bytes.subarray(0, bytes.length - MAC_LENGTH));
        return decoded.ok ? decoded.claims.exp - decoded.claims.iat : undefined;
    } catch {
        return undefined;
    }
}
