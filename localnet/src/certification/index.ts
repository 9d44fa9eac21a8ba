/** State certification for localnet: hash trees, witnesses, BLS root keys, certificates. */
export * from './blsDer';
export * from './certificate';
export * from './certifiedState';
export * from './delegation';
export * from './hashTree';
export * from './hashTreeCbor';
export * from './httpCertification';
export * from './labeledTree';
export { decodeUnsignedLeb128, encodeUnsignedLeb128 } from '../leb128';
export * from './rootKey';
export * from './stateTree';
export * from './witness';
