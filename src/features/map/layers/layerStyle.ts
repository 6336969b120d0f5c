import type { RGBA } from '../mapSlice';

/** Default colours of layers (kept apart from the factories so the UI need not load deck.gl). */
export const DEFAULT_FILL: RGBA = [3, 111, 226, 200];
export const DEFAULT_LINE: RGBA = [255, 255, 255, 220];
/** Same defaults as @deck.gl/carto's style helpers. */
export const NULL_COLOR: RGBA = [204, 204, 204, 255];
export const OTHERS_COLOR: RGBA = [119, 119, 119, 255];

/** What deck.gl hands a colour accessor: a GeoJSON-like feature (binary tiles too). */
export interface Feature {
  properties?: Record<string, unknown> | null;
}
type ColorAccessor = (feature: Feature) => RGBA;

/**
 * One colour per category, `others` for values outside the domain and `null` for missing
 * values: the behaviour of @deck.gl/carto's `colorCategories`. Written here because that
 * helper imports every CARTOColors and ColorBrewer palette by name (about 9 kB gzip) while
 * the app always passes explicit colours.
 */
export function colorCategories(rule: { column: string; domain: string[]; colors: RGBA[] }) {
  const byValue = new Map(rule.domain.map((value, i) => [value, rule.colors[i]]));
  const accessor: ColorAccessor = (feature) => {
    const value = feature.properties?.[rule.column];
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))
      return byValue.get(String(value)) ?? OTHERS_COLOR;
    return NULL_COLOR;
  };
  return accessor;
}

/**
 * Numeric classes: `thresholds` [t0, t1, ...] split values into `colors.length` bins
 * (below t0, [t0, t1), ..., at or above the last), like @deck.gl/carto's `colorBins`.
 */
export function colorBins(rule: { column: string; thresholds: number[]; colors: RGBA[] }) {
  const accessor: ColorAccessor = (feature) => {
    const value = feature.properties?.[rule.column];
    if (typeof value !== 'number' || !Number.isFinite(value)) return NULL_COLOR;
    const bin = rule.thresholds.filter((t) => value >= t).length;
    return rule.colors[Math.min(bin, rule.colors.length - 1)] ?? NULL_COLOR;
  };
  return accessor;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Legend labels of `colorBins` classes: "< 10", "10 – 100", ..., "≥ 1M". */
export function binLabels(thresholds: number[]): string[] {
  if (thresholds.length === 0) return ['All values'];
  const f = (n: number) => compact.format(n);
  return [
    `< ${f(thresholds[0] ?? 0)}`,
    ...thresholds.slice(1).map((t, i) => `${f(thresholds[i] ?? 0)} – ${f(t)}`),
    `≥ ${f(thresholds.at(-1) ?? 0)}`,
  ];
}
