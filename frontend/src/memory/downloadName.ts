/** A file name for a downloaded asset: the memory's title, made safe, with the type's extension. */
const EXTENSIONS: Readonly<Record<string, string>> = {
    'image/jpeg': 'jpg',
    'image/png': 'png',
    'image/webp': 'webp',
    'image/gif': 'gif',
    'image/avif': 'avif',
    'video/webm': 'webm',
    'video/mp4': 'mp4',
    'audio/mpeg': 'mp3',
    'audio/ogg': 'ogg'
};

export function downloadName(title: string, variant: string, contentType: string): string {
    const base = title.normalize('NFKC').replace(/[^\p{L}\p{N}._ -]+/gu, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'memory';
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    const extension = EXTENSIONS[type] ?? type.split('/')[1]?.replace(/[^a-z0-9]/g, '') ?? 'bin';
    return `${base}-${variant}.${extension || 'bin'}`;
}
