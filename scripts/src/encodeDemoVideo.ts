/**
 * Encodes the dev gallery's demo video once (the result is committed as assets/demo-video.webm,
 * so `npm run dev` needs no encoder): frames of VIDEO_SCENE with drifting clouds and rippling
 * water, VP9 in WebM with a keyframe every second and cues, so a browser can seek with Range
 * requests. Needs ffmpeg (Debian: apt-get install ffmpeg).
 *
 *   npx tsx scripts/src/encodeDemoVideo.ts
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { renderScene, VIDEO_SCENE } from './demoScene';

export const DEMO_VIDEO_PATH = fileURLToPath(new URL('../assets/demo-video.webm', import.meta.url));
const WIDTH = 960;
const HEIGHT = 540;
const FPS = 30;
const SECONDS = 6;

async function encode(): Promise<void> {
    const ffmpeg = spawn(
        'ffmpeg',
        ['-y', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${WIDTH}x${HEIGHT}`, '-r', String(FPS), '-i', '-',
         '-c:v', 'libvpx-vp9', '-b:v', '4500k', '-g', String(FPS), '-pix_fmt', 'yuv420p', '-row-mt', '1', '-deadline', 'good', '-cpu-used', '4',
         '-metadata', 'title=Clouds drifting over the lake', DEMO_VIDEO_PATH],
        { stdio: ['pipe', 'inherit', 'inherit'] }
    );
    const done = new Promise<void>((resolve, reject) => {
        ffmpeg.once('error', reject);
        ffmpeg.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
    });
    for (let frame = 0; frame < FPS * SECONDS; frame++) {
        const pixels = renderScene(VIDEO_SCENE, WIDTH, HEIGHT, frame / FPS * 8);
        if (!ffmpeg.stdin.write(pixels)) await new Promise((resolve) => ffmpeg.stdin.once('drain', resolve));
    }
    ffmpeg.stdin.end();
    await done;
    process.stdout.write(`wrote ${DEMO_VIDEO_PATH}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await encode();
