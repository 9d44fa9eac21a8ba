/** Public API of @icp-private-assets/shared. Pure TypeScript: no Node, DOM or Azle globals. */
export * from './ids';
export * from './variants';
export * from './tokenClaims';
export { encodePayload, decodePayload, type DecodeResult } from './tokenCodec';
export * from './tokenErrors';
export { constantTimeEqual, hmacSha256, MAC_LENGTH, SECRET_LENGTH } from './mac';
export * from './keyring';
export * from './deriveBucketKey';
export * from './mintToken';
export * from './verifyToken';
export * from './percentDecode';
export * from './requestTarget';
export * from './assetLocator';
export * from './assetUrl';
export * from './range';
export * from './skipCertification';
export { base64, base64UrlNoPad, Base64DecodeError } from './base64';
