/**
 * CARTOColors palettes (CARTO's own, colour-blind-aware where tagged) as the style panel
 * offers them. Named imports, so a chunk carries only the palettes it uses.
 */
import {
  Antique,
  Bold,
  BluYl,
  Burg,
  Emrld,
  Magenta,
  Mint,
  OrYel,
  Pastel,
  Prism,
  PurpOr,
  Safe,
  Sunset,
  Teal,
  Vivid,
} from 'cartocolor';
import type { RGBA } from '../mapSlice';

type Palette = typeof Bold;

/** For categories: distinct hues, no order. */
export const QUALITATIVE: Record<string, Palette> = { Bold, Vivid, Prism, Safe, Pastel, Antique };
/** For classed numbers: light (low) to dark (high). */
export const SEQUENTIAL: Record<string, Palette> = {
  Sunset,
  Teal,
  Burg,
  Emrld,
  PurpOr,
  BluYl,
  Magenta,
  OrYel,
  Mint,
};

const hexToRgba = (hex: string, alpha = 255): RGBA => {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
};

/** The palette's largest size: qualitative palettes list it under their longest key. */
function largest(palette: Palette): readonly string[] {
  const sizes = Object.keys(palette).map(Number).filter(Number.isInteger);
  return palette[Math.max(...sizes)] ?? [];
}

/**
 * `count` colours of a palette, by name: a sequential palette's own ramp of that size (2 to
 * 7), a qualitative palette's first `count` hues (cycling past its end). None for a name that
 * is not a palette here.
 */
export function paletteColors(name: string, count: number, alpha = 255): RGBA[] {
  const palette = QUALITATIVE[name] ?? SEQUENTIAL[name];
  if (!palette || count <= 0) return [];
  const exact = palette[count];
  const hues = exact && !palette.tags.includes('qualitative') ? exact : largest(palette);
  if (hues.length === 0) return [];
  // Qualitative palettes end with a grey meant for "others": not a category's colour.
  const usable = palette.tags.includes('qualitative') ? hues.slice(0, -1) : hues;
  return Array.from({ length: count }, (_, i) =>
    hexToRgba(usable[i % usable.length] ?? '#777777', alpha),
  );
}
