import { describe, expect, it } from 'vitest';
import { assetHeadFrom } from '../../src/memory/assetHead';
import { downloadName } from '../../src/memory/downloadName';
import { formatBytes } from '../../src/memory/formatBytes';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

describe('the memory page’s small helpers', () => {
    it('names downloads after the memory with the type’s extension', () => {
        expect(downloadName('Sunset over the lake', 'original', 'image/jpeg')).toBe('Sunset-over-the-lake-original.jpg');
        expect(downloadName('Clouds (video)', 'original', 'video/webm')).toBe('Clouds-video-original.webm');
        expect(downloadName('../../etc/passwd', 'original', 'image/png')).toBe('....etcpasswd-original.png');
        expect(downloadName('', 'preview', 'image/x-unknown; q=1')).toBe('memory-preview.xunknown');
    });

    it('formats sizes', () => {
        expect(formatBytes(351)).toBe('351 B');
        expect(formatBytes(443_201)).toBe('443 kB');
        expect(formatBytes(3_953_310)).toBe('4.0 MB');
    });

    it('reads what a HEAD says about an asset', () => {
        expect(assetHeadFrom(200, headers({ 'content-type': 'video/webm', 'content-length': '3953310' }))).toEqual({ status: 'present', contentType: 'video/webm', size: 3_953_310 });
        expect(assetHeadFrom(200, headers({ 'content-type': 'image/jpeg' }))).toEqual({ status: 'present', contentType: 'image/jpeg', size: undefined });
        expect(assetHeadFrom(404, headers({}))).toEqual({ status: 'absent', failure: { kind: 'not-found' } });
        expect(assetHeadFrom(403, headers({ 'x-token-error': 'expired' }))).toEqual({ status: 'absent', failure: { kind: 'token', code: 'EXPIRED', remint: true } });
    });
});
