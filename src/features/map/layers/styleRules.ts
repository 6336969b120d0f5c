/**
 * Turning a column's statistics (the TileJSON's `tilestats`) into a colour rule: categories or
 * numeric classes. Pure functions over plain data: the store keeps the result.
 */
import type { LayerStyle, RGBA } from '../mapSlice';
import { isInternalColumn } from '../featureFormat';
import { equalThresholds, magnitudeThresholds } from './classBreaks';

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
