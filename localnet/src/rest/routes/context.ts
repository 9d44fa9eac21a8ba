/** What route handlers share: the server-wide state and the core factory. */
import type { CreateLocalIc } from '../../core/localIc';
import type { BlobStore } from '../blobStore';
import type { RestRequest, RestResponse } from '../http';
import type { HttpGatewayListeners } from '../httpGatewayListeners';
import type { InstanceRegistry } from '../instanceRegistry';
import type { Router } from '../router';

export interface ServerContext {
    readonly createLocalIc: CreateLocalIc;
    readonly instances: InstanceRegistry;
    readonly blobs: BlobStore;
    /** The listeners started by `POST /http_gateway`. */
    readonly gateways: HttpGatewayListeners;
    /** Where server faults (500s) are reported; client errors are not logged. */
    readonly log: (message: string) => void;
}

export type Handler = (request: RestRequest) => Promise<RestResponse>;

export type RestRouter = Router<Handler>;
