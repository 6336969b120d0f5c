import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { apiUrl, cartoJson, CartoRequestError, type ModelContext } from './cartoJson';

export type TravelMode = 'walk' | 'car';

export interface IsochroneArgs {
  lng: number;
  lat: number;
  mode: TravelMode;
  minutes: number;
}

/**
 * The area reachable from a point in `minutes` (CARTO LDS isolines). The request uses CARTO's
 * parameter names (origin, mode, range, range_type); the response is parsed here only, as a
 * GeoJSON FeatureCollection of polygons — the shape the emulator defines, to be checked
 * against a real account (see carto-api.md).
 */
export async function isochroneModel(
  { lng, lat, mode, minutes }: IsochroneArgs,
  context: ModelContext,
): Promise<FeatureCollection<Polygon | MultiPolygon>> {
  if (!Number.isFinite(lng) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    throw new RangeError('The point is outside the map.');
  }
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 120)
    throw new RangeError('Minutes must be 1 to 120.');
  const url = apiUrl(context.credentials, 'v3/lds/isolines', {
    origin: `${lat.toFixed(6)},${lng.toFixed(6)}`,
    mode,
    range: String(minutes * 60),
    range_type: 'time',
  });
  const body = await cartoJson<{ type?: string; features?: unknown[] } | null>(url, context);
  const valid =
    body?.type === 'FeatureCollection' &&
    Array.isArray(body.features) &&
    body.features.every((f) =>
      ['Polygon', 'MultiPolygon'].includes(
        (f as { geometry?: { type?: string } }).geometry?.type ?? '',
      ),
    );
  if (!valid)
    throw new CartoRequestError('The isolines service answered in an unexpected shape.', 502);
  return body as unknown as FeatureCollection<Polygon | MultiPolygon>;
}
