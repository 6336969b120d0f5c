import { apiUrl, cartoJson, CartoRequestError, type ModelContext } from './cartoJson';

export interface GeocodeArgs {
  address: string;
  /** ISO 3166-1 alpha-2 country code that narrows the search. */
  country?: string;
  limit?: number;
}

export interface GeocodedPlace {
  latitude: number;
  longitude: number;
  /** Whatever else the service says about the match (name, relevance, ...). */
  [key: string]: unknown;
}

/**
 * Places matching an address (CARTO LDS geocoding), best first. The answer's shape,
 * `[{ value: [{ latitude, longitude, ... }] }]`, is read here only.
 */
export async function geocodeModel(
  { address, country, limit = 5 }: GeocodeArgs,
  context: ModelContext,
): Promise<GeocodedPlace[]> {
  const text = address.trim();
  if (text === '' || text.length > 200)
    throw new RangeError('Type an address (1 to 200 characters).');
  if (!Number.isInteger(limit) || limit < 1 || limit > 20)
    throw new RangeError('limit must be 1 to 20.');
  const url = apiUrl(context.credentials, 'v3/lds/geocoding/geocode', {
    address: text,
    limit: String(limit),
    ...(country ? { country } : {}),
  });
  const body = await cartoJson<unknown>(url, context);
  const places = Array.isArray(body) ? (body[0] as { value?: unknown } | undefined)?.value : null;
  const valid =
    Array.isArray(places) &&
    places.every(
      (p) =>
        typeof (p as GeocodedPlace | null)?.latitude === 'number' &&
        typeof (p as GeocodedPlace).longitude === 'number',
    );
  if (!valid)
    throw new CartoRequestError('The geocoding service answered in an unexpected shape.', 502);
  return places as GeocodedPlace[];
}
