import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkContentType, isPassiveMedia } from '../src/index';

describe('checkContentType', () => {
    it.each(['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif', 'IMAGE/HEIC', 'video/mp4', 'video/webm; codecs="vp9,opus"', 'audio/mpeg', 'audio/ogg; codecs=opus'])(
        'accepts passive media: %s',
        (type) => {
            expect(checkContentType(type)).toEqual({ ok: true });
        }
    );

    it.each([
        'text/html',
        'text/html; charset=utf-8',
        'application/javascript',
        'text/javascript',
        'application/xhtml+xml',
        'application/xml',
        'text/xml',
        'application/pdf',
        'application/octet-stream',
        'image/svg+xml',
        'IMAGE/SVG+XML; charset=utf-8',
        'image/svg',
        'multipart/x-mixed-replace; boundary=x',
        'text/plain'
    ])('refuses what could run or render as a document: %s', (type) => {
        expect(checkContentType(type)).toEqual({ ok: false, reason: 'not_passive' });
    });

    it.each(['', 'image', 'image/', '/png', 'image/png;', 'image/*', 'image/png\r\nX-Evil: 1', `image/${'a'.repeat(130)}`, 'image /png'])('refuses malformed types: %j', (type) => {
        expect(checkContentType(type)).toEqual({ ok: false, reason: 'malformed' });
    });

    it('accepts only image (not SVG), video and audio top-level types, for any input', () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (type, subtype) => {
                const value = `${type}/${subtype}`;
                if (!isPassiveMedia(value)) return;
                const [top, sub] = [type.toLowerCase(), subtype.toLowerCase()];
                expect(['image', 'video', 'audio']).toContain(top);
                expect(sub.startsWith('svg')).toBe(false);
            })
        );
    });
});
