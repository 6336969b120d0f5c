import { PNG } from 'pngjs';

export type RGB = readonly [number, number, number];

export function hexToRgb(hex: string): RGB {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Share of the image's pixels within `tolerance` (per channel) of each colour. */
export function colourShares(png: Buffer, colours: Record<string, RGB>, tolerance = 6) {
  const image = PNG.sync.read(png);
  const counts = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
  const total = image.width * image.height;
  for (let i = 0; i < image.data.length; i += 4) {
    const r = image.data[i] ?? 0;
    const g = image.data[i + 1] ?? 0;
    const b = image.data[i + 2] ?? 0;
    for (const [name, [cr, cg, cb]] of Object.entries(colours)) {
      if (
        Math.abs(r - cr) <= tolerance &&
        Math.abs(g - cg) <= tolerance &&
        Math.abs(b - cb) <= tolerance
      ) {
        counts[name] = (counts[name] ?? 0) + 1;
        break;
      }
    }
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
}
