/** localnet's HTTP gateway: browsers reach canisters' `http_request` at `http://<canister-id>.localhost:<port>/…`. */
export { createHttpGatewayHandler } from './httpGatewayHandler';
export type { GatewayNetworkResolver, HttpGatewayOptions } from './httpGatewayHandler';
export type { GatewayNetwork } from './canisterCalls';
export { DEFAULT_GATEWAY_DOMAINS, resolveCanister } from './canisterResolution';
export type { CanisterTarget } from './canisterResolution';
