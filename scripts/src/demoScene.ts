/**
 * Landscape pictures for the dev gallery, rendered rather than shipped: a sky with clouds, a sun
 * or moon with its glow, layered mountain ridges fading into haze, an optional lake mirroring
 * them, and film grain. Deterministic (same scene, same pixels), so tests can compare bytes.
 * Output is raw 8-bit RGB rows; demoVariants.ts encodes and resizes it.
 */

export interface ScenePalette {
    readonly skyTop: readonly [number, number, number];
    readonly skyHorizon: readonly [number, number, number];
    readonly sun: readonly [number, number, number];
    /** Ridge colours from the farthest to the nearest. */
    readonly ridges: readonly (readonly [number, number, number])[];
    readonly haze: readonly [number, number, number];
    readonly water: readonly [number, number, number];
    readonly cloud: readonly [number, number, number];
}

export interface Scene {
    readonly title: string;
    readonly seed: number;
    readonly palette: ScenePalette;
    /** Sun position as fractions of width and height. */
    readonly sun: { readonly x: number; readonly y: number; readonly radius: number };
    /** 0..1: how cloudy. */
    readonly clouds: number;
    /** Fraction of the height where the lake starts (none: no lake). */
    readonly lake?: number;
    readonly stars?: boolean;
}

type Rgb = readonly [number, number, number];

/** A small seeded hash → [0, 1). */
function hash2(x: number, y: number, seed: number): number {
    let h = (Math.imul(x, 374761393) + Math.imul(y, 668265263) + Math.imul(seed, 2147483647)) | 0;
    h = Math.imul(h ^ (h >>> 13), 1274126177);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
}

function smooth(t: number): number {
    return t * t * (3 - 2 * t);
}

function valueNoise(x: number, y: number, seed: number): number {
    const xi = Math.floor(x);
    const yi = Math.floor(y);
    const tx = smooth(x - xi);
    const ty = smooth(y - yi);
    const a = hash2(xi, yi, seed);
    const b = hash2(xi + 1, yi, seed);
    const c = hash2(xi, yi + 1, seed);
    const d = hash2(xi + 1, yi + 1, seed);
    return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
}

function fbm(x: number, y: number, seed: number, octaves: number): number {
    let sum = 0;
    let amplitude = 0.5;
    let frequency = 1;
    for (let i = 0; i < octaves; i++) {
        sum += amplitude * valueNoise(x * frequency, y * frequency, seed + i * 101);
        amplitude *= 0.5;
        frequency *= 2.03;
    }
    return sum;
}

const mix = (a: number, b: number, t: number) => a + (b - a) * t;
const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Ridge heights (fractions of the height, from the top) for every column, per layer. */
function ridgeProfiles(scene: Scene, width: number, shift: number): Float32Array[] {
    const layers = scene.palette.ridges.length;
    const horizon = scene.lake ?? 0.78;
    return scene.palette.ridges.map((_colour, layer) => {
        const profile = new Float32Array(width);
        const depth = layer / Math.max(1, layers - 1); // 0 far .. 1 near
        const base = mix(horizon - 0.2, horizon - 0.01, depth);
        const amplitude = mix(0.36, 0.16, depth);
        const scale = mix(1.7, 3.6, depth);
        for (let x = 0; x < width; x++) {
            const u = (x / width) * scale + shift * (0.3 + depth);
            const n = fbm(u, layer * 7.3, scene.seed + layer * 31, 6);
            // Sharpen into peaks: ridged noise for the far ranges, rolling hills near.
            const ridged = 1 - Math.abs(2 * n - 1);
            profile[x] = base - amplitude * mix(ridged * 1.2, n, depth);
        }
        return profile;
    });
}

/**
 * Renders the scene at width × height. `time` (seconds) drifts the clouds and the ridges a
 * little, for the demo video's frames; 0 for stills.
 */
export function renderScene(scene: Scene, width: number, height: number, time = 0): Uint8Array {
    const { palette } = scene;
    const out = new Uint8Array(width * height * 3);
    const ridges = ridgeProfiles(scene, width, time * 0.02);
    const lakeTop = scene.lake === undefined ? height : Math.round(scene.lake * height);
    const sunX = scene.sun.x * width;
    const sunY = scene.sun.y * height;
    const sunR = scene.sun.radius * height;
    const cloudScale = 3 / height;
    const sky = (x: number, y: number): [number, number, number] => {
        const t = clamp01(y / (lakeTop * 0.95));
        let r = mix(palette.skyTop[0], palette.skyHorizon[0], t ** 0.8);
        let g = mix(palette.skyTop[1], palette.skyHorizon[1], t ** 0.8);
        let b = mix(palette.skyTop[2], palette.skyHorizon[2], t ** 0.8);
        const d = Math.hypot(x - sunX, y - sunY);
        const glow = Math.exp(-d / (sunR * 5)) * 0.85 + (d < sunR ? 1 : Math.exp(-(d - sunR) / (sunR * 0.35)));
        r = mix(r, palette.sun[0], clamp01(glow));
        g = mix(g, palette.sun[1], clamp01(glow));
        b = mix(b, palette.sun[2], clamp01(glow));
        if (scene.stars && hash2(x, y, scene.seed + 7) > 0.9985) {
            const twinkle = 0.5 + 0.5 * hash2(x + 3, y, scene.seed);
            r = mix(r, 255, twinkle);
            g = mix(g, 255, twinkle);
            b = mix(b, 255, twinkle);
        }
        if (scene.clouds > 0) {
            const n = fbm(x * cloudScale * 1.6 + time * 0.05, y * cloudScale * 4, scene.seed + 500, 5);
            const cover = clamp01((n - (1 - scene.clouds * 0.75)) * 3) * (1 - t * 0.4);
            const lit = 0.75 + 0.25 * clamp01(1 - d / (width * 0.6));
            r = mix(r, palette.cloud[0] * lit, cover);
            g = mix(g, palette.cloud[1] * lit, cover);
            b = mix(b, palette.cloud[2] * lit, cover);
        }
        return [r, g, b];
    };
    const land = (x: number, y: number): [number, number, number] | undefined => {
        // The nearest ridge covering this pixel wins.
        for (let layer = ridges.length - 1; layer >= 0; layer--) {
            const top = ridges[layer]![x]! * height;
            if (y < top) continue;
            const colour: Rgb = palette.ridges[layer]!;
            const depth = layer / Math.max(1, ridges.length - 1);
            // Peaks stand out; their feet fade into the mist of the valley below.
            const hazeAmount = (1 - depth) * 0.45 + clamp01((y - top) / (height * 0.12)) * 0.4 * (1 - depth * 0.6);
            const texture = (fbm(x / 40, y / 40, scene.seed + layer, 4) - 0.5) * mix(10, 40, depth);
            const shade = 1 - clamp01((y - top) / (height * 0.25)) * 0.25 * depth;
            return [
                mix(colour[0], palette.haze[0], clamp01(hazeAmount)) * shade + texture,
                mix(colour[1], palette.haze[1], clamp01(hazeAmount)) * shade + texture,
                mix(colour[2], palette.haze[2], clamp01(hazeAmount)) * shade + texture
            ];
        }
        return undefined;
    };
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            let pixel: [number, number, number];
            if (y < lakeTop) {
                pixel = land(x, y) ?? sky(x, y);
            } else {
                // The lake mirrors what is above its shore, broken by ripples.
                const below = y - lakeTop;
                const ripple = (fbm(x / 90, below / 6 + time * 0.4, scene.seed + 900, 3) - 0.5) * 24 * (1 + below / 60);
                const mirrorY = Math.max(0, lakeTop - 1 - below - Math.round(ripple * 0.3));
                const mirrorX = Math.min(width - 1, Math.max(0, Math.round(x + ripple)));
                const reflected = land(mirrorX, mirrorY) ?? sky(mirrorX, mirrorY);
                const depth = clamp01(below / (height - lakeTop + 1));
                pixel = [
                    mix(reflected[0] * 0.8, palette.water[0], 0.25 + depth * 0.5),
                    mix(reflected[1] * 0.8, palette.water[1], 0.25 + depth * 0.5),
                    mix(reflected[2] * 0.8, palette.water[2], 0.25 + depth * 0.5)
                ];
            }
            const grain = (hash2(x, y, scene.seed + Math.floor(time * 30)) - 0.5) * 10;
            const vignette = 1 - 0.22 * ((x / width - 0.5) ** 2 + (y / height - 0.5) ** 2) * 2;
            const offset = (y * width + x) * 3;
            out[offset] = Math.max(0, Math.min(255, Math.round(pixel[0] * vignette + grain)));
            out[offset + 1] = Math.max(0, Math.min(255, Math.round(pixel[1] * vignette + grain)));
            out[offset + 2] = Math.max(0, Math.min(255, Math.round(pixel[2] * vignette + grain)));
        }
    }
    return out;
}

/** The gallery's scenes (alice's memories), each a different light. */
export const DEMO_SCENES: readonly Scene[] = [
    {
        title: 'Sunset over the lake',
        seed: 11,
        palette: {
            skyTop: [44, 62, 120],
            skyHorizon: [246, 152, 96],
            sun: [255, 226, 160],
            ridges: [
                [136, 96, 128],
                [92, 64, 96],
                [52, 38, 60],
                [24, 20, 30]
            ],
            haze: [232, 150, 120],
            water: [40, 40, 70],
            cloud: [250, 170, 140]
        },
        sun: { x: 0.62, y: 0.38, radius: 0.045 },
        clouds: 0.55,
        lake: 0.7
    },
    {
        title: 'Alpine morning',
        seed: 23,
        palette: {
            skyTop: [60, 120, 200],
            skyHorizon: [190, 220, 245],
            sun: [255, 252, 235],
            ridges: [
                [170, 185, 210],
                [110, 130, 160],
                [70, 100, 80],
                [40, 70, 45]
            ],
            haze: [200, 220, 240],
            water: [40, 80, 110],
            cloud: [252, 252, 255]
        },
        sun: { x: 0.2, y: 0.18, radius: 0.03 },
        clouds: 0.45
    },
    {
        title: 'Misty dawn',
        seed: 37,
        palette: {
            skyTop: [150, 160, 190],
            skyHorizon: [240, 210, 200],
            sun: [255, 235, 210],
            ridges: [
                [190, 180, 195],
                [150, 145, 165],
                [100, 100, 120],
                [60, 64, 78]
            ],
            haze: [235, 225, 228],
            water: [120, 125, 150],
            cloud: [245, 235, 235]
        },
        sun: { x: 0.45, y: 0.36, radius: 0.035 },
        clouds: 0.2,
        lake: 0.74
    },
    {
        title: 'Night under the stars',
        seed: 41,
        palette: {
            skyTop: [6, 10, 30],
            skyHorizon: [30, 46, 88],
            sun: [230, 235, 255],
            ridges: [
                [40, 50, 80],
                [26, 34, 58],
                [14, 20, 36],
                [6, 8, 16]
            ],
            haze: [40, 56, 96],
            water: [10, 16, 34],
            cloud: [70, 80, 110]
        },
        sun: { x: 0.78, y: 0.2, radius: 0.025 },
        clouds: 0.15,
        stars: true,
        lake: 0.76
    },
    {
        title: 'Autumn hills',
        seed: 53,
        palette: {
            skyTop: [90, 140, 200],
            skyHorizon: [220, 225, 215],
            sun: [255, 245, 215],
            ridges: [
                [160, 150, 150],
                [170, 110, 60],
                [140, 70, 30],
                [90, 45, 20]
            ],
            haze: [215, 210, 205],
            water: [60, 70, 60],
            cloud: [255, 250, 245]
        },
        sun: { x: 0.85, y: 0.15, radius: 0.03 },
        clouds: 0.6
    },
    {
        title: 'Desert evening',
        seed: 67,
        palette: {
            skyTop: [70, 90, 150],
            skyHorizon: [250, 190, 130],
            sun: [255, 220, 150],
            ridges: [
                [200, 140, 110],
                [214, 150, 96],
                [190, 120, 70],
                [150, 90, 50]
            ],
            haze: [245, 190, 150],
            water: [90, 80, 90],
            cloud: [255, 200, 170]
        },
        sun: { x: 0.3, y: 0.34, radius: 0.05 },
        clouds: 0.25
    }
];

/** The scene of the demo video (frames rendered with increasing time). */
export const VIDEO_SCENE: Scene = { ...DEMO_SCENES[0]!, title: 'Clouds drifting over the lake', seed: 79, clouds: 0.7 };
