/** Public API of @icp-private-assets/localnet. */
export { startNetwork, startServerProcess, type Network, type NetworkKind, type StartNetworkOptions } from './startNetwork';
export { createLocalIc } from './core/createLocalIc';
export { LocalNetwork, type ExecutionEvent, type NetworkOptions } from './core/localNetwork';
export type { CallOutcome, CanisterCall, LocalIc, LocalIcConfig } from './core/localIc';
export { buildAzleCanister, type AzleBuildRequest, type AzleBuildResult } from './azleBuild';
export { createRestServer, type RestServer, type RestServerOptions } from './rest/server';
export { startHttpGateway, type HttpGatewayHandle } from './httpGatewayClient';
export { localhostFetch, type ClientRequest, type ClientResponse } from './localhostFetch';
