/**
 * DEV ONLY: the named local identities the frontend offers on the local network (alice, bob, …),
 * derived from the same public seeds (`@icp-private-assets/frontend/dev-identities`), so this
 * script can act as them and knows their principals. Never use them on mainnet.
 */
import { Ed25519KeyIdentity } from '@icp-sdk/core/identity';
import { devIdentitySeed, type DevIdentityName } from '@icp-private-assets/frontend/dev-identities';

export function devIdentity(name: DevIdentityName): Ed25519KeyIdentity {
    return Ed25519KeyIdentity.generate(devIdentitySeed(name));
}
