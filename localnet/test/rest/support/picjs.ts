/**
 * Bridges to PicJS internals for the protocol tests. PicJS types principals with its own
 * `@icp-sdk/core` Principal class; at runtime it only calls `toUint8Array()` / `toText()`, which
 * `@dfinity/principal` principals provide too, so a cast is all that is needed.
 */
import type { Principal } from '@dfinity/principal';
import type { GetPubKeyRequest } from '@dfinity/pic/dist/pocket-ic-client-types';

export type PicPrincipal = GetPubKeyRequest['subnetId'];

export const toPic = (principal: Principal): PicPrincipal => principal as unknown as PicPrincipal;

/** How PicJS's Http2Client serializes request bodies. */
export { JSONStringify as picStringify, JSONParse as picParse } from 'json-with-bigint';
