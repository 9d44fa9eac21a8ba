/** Factory used by the front ends (REST server, IC HTTP interface) to create instances. */
import type { CreateLocalIc } from './localIc';
import { LocalNetwork } from './localNetwork';

export const createLocalIc: CreateLocalIc = async (config) => new LocalNetwork(config);
