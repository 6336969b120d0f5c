/**
 * A feature's properties as people read them: numbers in the user's locale, dates as dates,
 * yes/no, and without the ids and internals that mean nothing to them. Used by the hover
 * tooltip, the keyboard feature browser and the selection card.
 */

/** Columns that identify rows or cells: never worth colouring by. */
export const isInternalColumn = (name: string, idColumn?: string) =>
  name === idColumn ||
  name === 'cartodb_id' ||
  name === 'layerName' ||
  name.startsWith('__') ||
  /^(h3|quadbin|geom|the_geom)$/i.test(name);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The user's locale (the browser's first language), or the runtime's default. */
const userLocale = (): string | undefined =>
  typeof navigator === 'undefined' ? undefined : (navigator.languages[0] ?? navigator.language);

/** One value as text: locale numbers, dates, Yes/No, "—" for no value. */
export function formatValue(value: unknown, locale = userLocale()): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    const size = Math.abs(value);
    const digits = Number.isInteger(value) || size >= 100 ? 0 : size >= 1 ? 2 : 4;
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  }
  if (typeof value === 'string') {
    if (ISO_DATE.test(value)) {
      const date = new Date(`${value}T00:00:00Z`);
      if (!Number.isNaN(date.getTime()))
        return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
          date,
        );
    }
    if (ISO_DATE_TIME.test(value)) {
      // Without an offset the warehouse's timestamp is taken as UTC (what CARTO's APIs send).
      const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
      const date = new Date(withZone);
      // Midnight UTC is a date stored as a timestamp: shown as the date it is.
      const midnight = date.getUTCHours() + date.getUTCMinutes() + date.getUTCSeconds() === 0;
      if (!Number.isNaN(date.getTime()))
        return new Intl.DateTimeFormat(
          locale,
          midnight
            ? { dateStyle: 'medium', timeZone: 'UTC' }
            : { dateStyle: 'medium', timeStyle: 'short' },
        ).format(date);
    }
    return value;
  }
  return JSON.stringify(value);
}

export interface FeatureField {
  name: string;
  value: string;
}

/**
 * The properties worth showing, formatted, at most `max`: not the layer's id column, CARTO's
 * row ids (`cartodb_id`), spatial-index cells or internal columns.
 */
export function featureFields(
  properties: Readonly<Record<string, unknown>>,
  { idColumn, max = 8, locale }: { idColumn?: string; max?: number; locale?: string } = {},
): FeatureField[] {
  return Object.entries(properties)
    .filter(([name]) => !isInternalColumn(name, idColumn))
    .slice(0, max)
    .map(([name, value]) => ({ name, value: formatValue(value, locale) }));
}

/** The fields as tooltip text, one "name: value" per line (text, never HTML). */
export const fieldsText = (fields: FeatureField[]) =>
  fields.map(({ name, value }) => `${name}: ${value}`).join('\n');

/** Where a tooltip goes relative to the point it describes, in the map's pixels. */
export interface TooltipAnchor {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Pixels around the point the tooltip must leave clear (the feature's own size). */
  clearance: number;
}

/**
 * A CSS transform that puts the tooltip beside the point, never over it: to its right and
 * above, flipped left near the right edge and below near the top.
 */
export function tooltipTransform({ x, y, width, height, clearance }: TooltipAnchor): string {
  const gap = Math.max(12, clearance + 8);
  const left = x > width * 0.6 ? `calc(${x - gap}px - 100%)` : `${x + gap}px`;
  const top = y < height * 0.4 ? `${y + gap}px` : `calc(${y - gap}px - 100%)`;
  return `translate(${left}, ${top})`;
}
