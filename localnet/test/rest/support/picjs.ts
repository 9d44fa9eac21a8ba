/** How PicJS's Http2Client serializes request bodies, for the protocol tests. */
export { JSONStringify as picStringify, JSONParse as picParse } from 'json-with-bigint';
