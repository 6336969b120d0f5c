/**
 * Turning a column's statistics (the TileJSON's `tilestats`) into a colour rule: categories or
 * numeric classes. Pure functions over plain data: the store keeps the result.
 */
import type { LayerStyle, RGBA } from '../mapSlice';

/** A column the style panel can colour by, with what the TileJSON says about its values. */
export type StyleColumn =
  | { name: string; type: 'number'; min: number; max: number }
  | { name: string; type: 'string'; categories: string[] };

interface TilestatsAttribute {
  attribute?: unknown;
  type?: unknown;
  min?: unknown;
  max?: unknown;
  categories?: unknown;
}

/** Columns that identify rows or cells: never worth colouring by. */
export const isInternalColumn = (name: string, idColumn?: string) =>
  name === idColumn ||
  name === 'cartodb_id' ||
  name === 'layerName' ||
  name.startsWith('__') ||
  /^(h3|quadbin|geom|the_geom)$/i.test(name);

/** The columns of a source (its TileJSON's first tilestats layer) that can colour a layer. */
export function styleColumns(
  tilejson: { tilestats?: { layers?: { attributes?: unknown[] }[] } },
  idColumn?: string,
): StyleColumn[] {
  const attributes = (tilejson.tilestats?.layers?.[0]?.attributes ?? []) as TilestatsAttribute[];
  return attributes.flatMap((a): StyleColumn[] => {
    if (typeof a.attribute !== 'string' || isInternalColumn(a.attribute, idColumn)) return [];
    const min = Number(a.min);
    const max = Number(a.max);
    if (a.type === 'Number' && Number.isFinite(min) && Number.isFinite(max))
      return [{ name: a.attribute, type: 'number', min, max }];
    if (a.type === 'String' && Array.isArray(a.categories)) {
      const categories = (a.categories as { category?: unknown }[])
        .map((c) => c.category)
        .filter((c): c is string => typeof c === 'string' && c !== '');
      return categories.length > 0 ? [{ name: a.attribute, type: 'string', categories }] : [];
    }
    return [];
  });
}

/** One colour per category (the most frequent first); other values get the "others" grey. */
export function categoriesRule(
  column: string,
  categories: string[],
  colors: RGBA[],
): NonNullable<LayerStyle['colorBy']> {
  const domain = categories.slice(0, colors.length);
  return { column, domain, colors: colors.slice(0, domain.length) };
}

export type ClassMethod = 'equal' | 'magnitude';

/** Rounds a break to 2 significant digits, so legends read "1,200", not "1,187.33". */
const roundBreak = (value: number) => {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  return Math.round(value / magnitude) * magnitude;
};

/** `classes` classes of equal width between min and max: classes − 1 thresholds. */
export function equalThresholds(min: number, max: number, classes: number): number[] {
  if (!(max > min) || classes < 2) return [];
  const step = (max - min) / classes;
  const breaks = Array.from({ length: classes - 1 }, (_, i) => roundBreak(min + step * (i + 1)));
  return [...new Set(breaks)].filter((t) => t > min && t < max);
}

/**
 * Class breaks by orders of magnitude up to `max` (sums over cells span several), at most
 * `classes` classes; e.g. max 3,000,000 and 7 classes -> [10, 100, ..., 1,000,000].
 */
export function magnitudeThresholds(max: number, classes = 7): number[] {
  if (!Number.isFinite(max) || max <= 1) return [];
  const top = Math.floor(Math.log10(max));
  const first = Math.max(1, top - (classes - 2));
  const thresholds: number[] = [];
  for (let power = first; power <= top; power++) thresholds.push(10 ** power);
  return thresholds;
}

/**
 * Numeric classes of a column: thresholds by `method`, and as many colours of the ramp as
 * there are classes (the darkest for the highest).
 */
export function classesRule(
  column: { name: string; min: number; max: number },
  method: ClassMethod,
  ramp: (count: number) => RGBA[],
  classes: number,
): NonNullable<LayerStyle['colorBins']> {
  const thresholds =
    method === 'magnitude'
      ? magnitudeThresholds(column.max, classes)
      : equalThresholds(column.min, column.max, classes);
  return { column: column.name, thresholds, colors: ramp(thresholds.length + 1) };
}
