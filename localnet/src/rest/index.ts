/** The PocketIC REST front end of localnet. */
export { createRestServer } from './server';
export type { DefaultInstance, RestServer, RestServerOptions } from './server';
