/**
 * The four variants of a dev gallery memory, made with sharp from a rendered scene the way an
 * uploader would make them from a photo: `original` (2400×1600 JPEG), `preview` (1280 wide),
 * `thumbnail` (480 wide, the frontend's tile size) and `placeholder` (24 wide, shown blurred
 * while the thumbnail loads). A video memory's still variants come from its first frame.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import type { Variant } from '@icp-private-assets/shared';
import { renderScene, VIDEO_SCENE, type Scene } from './demoScene';

export interface EncodedAsset {
    readonly bytes: Uint8Array;
    readonly contentType: string;
    /** Pixel size for images; the frame size for the video. */
    readonly width: number;
    readonly height: number;
}

export type MemoryVariants = Readonly<Record<Variant, EncodedAsset>>;

export const ORIGINAL_SIZE = { width: 2400, height: 1600 } as const;
/** Widths of the smaller variants (the frontend's loader expects thumbnail ≤ 480, preview ≤ 1280). */
export const VARIANT_WIDTHS = { preview: 1280, thumbnail: 480, placeholder: 24 } as const;
export const DEMO_VIDEO = { path: fileURLToPath(new URL('../assets/demo-video.webm', import.meta.url)), contentType: 'video/webm', width: 960, height: 540 } as const;

async function jpeg(image: Sharp, quality: number): Promise<EncodedAsset> {
    const { data, info } = await image.jpeg({ quality, mozjpeg: false }).toBuffer({ resolveWithObject: true });
    return { bytes: new Uint8Array(data), contentType: 'image/jpeg', width: info.width, height: info.height };
}

async function stills(raw: Uint8Array, width: number, height: number): Promise<Omit<MemoryVariants, 'original'>> {
    const source = () => sharp(raw, { raw: { width, height, channels: 3 } });
    return {
        preview: await jpeg(source().resize({ width: VARIANT_WIDTHS.preview }), 82),
        thumbnail: await jpeg(source().resize({ width: VARIANT_WIDTHS.thumbnail }), 78),
        placeholder: await jpeg(source().resize({ width: VARIANT_WIDTHS.placeholder }), 60)
    };
}

export async function pictureVariants(scene: Scene): Promise<MemoryVariants> {
    const { width, height } = ORIGINAL_SIZE;
    const raw = renderScene(scene, width, height);
    return { original: await jpeg(sharp(raw, { raw: { width, height, channels: 3 } }), 88), ...(await stills(raw, width, height)) };
}

export async function videoVariants(): Promise<MemoryVariants> {
    const { width, height } = DEMO_VIDEO;
    // The video's first frame, rendered at preview size so the poster is sharp.
    const posterWidth = VARIANT_WIDTHS.preview;
    const posterHeight = Math.round((posterWidth * height) / width);
    const frame = renderScene(VIDEO_SCENE, posterWidth, posterHeight, 0);
    return {
        original: { bytes: new Uint8Array(readFileSync(DEMO_VIDEO.path)), contentType: DEMO_VIDEO.contentType, width, height },
        ...(await stills(frame, posterWidth, posterHeight))
    };
}
