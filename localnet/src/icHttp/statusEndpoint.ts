/** `GET /api/v2/status`: what agents' fetchRootKey() reads (`root_key`, the instance's DER BLS key). */
import type { LocalNetwork } from '../core/localNetwork';
import type { EndpointReply } from './endpoint';

/** The IC API version the replica reports. */
export const IC_API_VERSION = '0.18.0';

export function handleStatus(network: LocalNetwork): EndpointReply {
    return {
        status: 200,
        cbor: {
            ic_api_version: IC_API_VERSION,
            root_key: network.rootKey,
            impl_version: 'localnet',
            replica_health_status: 'healthy',
            certified_height: BigInt(network.round)
        }
    };
}
