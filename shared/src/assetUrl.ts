/**
 * URLs that browsers use to load an asset straight from its bucket (docs/http-interface.md).
 *   mainnet  https://<bucket>.icp0.io/asset/{memory_id}/{variant}[/{asset_id}]?token=…
 *   local    http://<bucket>.localhost:<port>/asset/…?token=…
 * Each part is checked, so a URL this builds always parses back to the same locator.
 */
import { Principal } from '@dfinity/principal';
import { isValidId } from './ids';
import { isVariant, type Variant } from './variants';

export type IcNetwork =
    | { readonly kind: 'ic' }
    | { readonly kind: 'local'; readonly port: number; readonly host?: string };

export interface AssetUrlParts {
    readonly bucket: string;
    readonly memoryId: string;
    readonly variant: Variant;
    readonly assetId?: string;
    readonly token: string;
    readonly network: IcNetwork;
    /** 'path' (default) or 'query' (`/asset?id=…&variant=…`). */
    readonly form?: 'path' | 'query';
}

export function bucketOrigin(bucket: string, network: IcNetwork): string {
    const canonical = Principal.fromText(bucket).toText();
    if (canonical !== bucket) throw new TypeError(`bucket ${bucket} is not a canonical principal`);
    if (network.kind === 'ic') return `https://${bucket}.icp0.io`;
    const { port } = network;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`bad port ${port}`);
    const host = network.host ?? 'localhost';
    if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new TypeError(`bad host ${host}`);
    return `http://${bucket}.${host}:${port}`;
}

export function icAssetUrl(parts: AssetUrlParts): string {
    const { memoryId, variant, assetId, token } = parts;
    if (!isValidId(memoryId)) throw new TypeError('memoryId is not a valid id');
    if (!isVariant(variant)) throw new TypeError('variant is not a known variant');
    if (assetId !== undefined && !isValidId(assetId)) throw new TypeError('assetId is not a valid id');
    const origin = bucketOrigin(parts.bucket, parts.network);
    const encodedToken = encodeURIComponent(token);
    if ((parts.form ?? 'path') === 'query') {
        const asset = assetId !== undefined ? `&asset_id=${assetId}` : '';
        return `${origin}/asset?id=${memoryId}&variant=${variant}${asset}&token=${encodedToken}`;
    }
    const asset = assetId !== undefined ? `/${assetId}` : '';
    return `${origin}/asset/${memoryId}/${variant}${asset}?token=${encodedToken}`;
}
