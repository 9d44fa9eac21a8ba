/** The PocketIC REST front end of localnet. */
export { createRestServer } from './server';
export type { RestServer, RestServerOptions } from './server';
