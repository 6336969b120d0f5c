import { Hono } from 'hono';
import type { Feature, Polygon } from 'geojson';
import { apiError } from '../http/responses';
import { QueryError, qualified } from './database';
import { dataHandler, type DataContext } from './mapsRoutes';

/** Average speeds (m/s) for the approximation: walking 5 km/h, driving 40 km/h in town. */
const SPEED = { walk: 5 / 3.6, car: 40 / 3.6 } as const;
const EARTH_RADIUS = 6_371_000;

/**
 * An isoline without a road network: the distance reachable at an average speed, shaped
 * (driving stretches along four "arterials", walking is nearly round). An approximation,
 * said so in each feature's properties; the real service uses road networks.
 */
export function approximateIsoline(
  lng: number,
  lat: number,
  mode: 'walk' | 'car',
  meters: number,
): Polygon {
  const ring: [number, number][] = [];
  const steps = 72;
  for (let i = 0; i <= steps; i++) {
    const angle = (i % steps) * ((2 * Math.PI) / steps);
    const shape =
      mode === 'car'
        ? 0.7 + 0.3 * Math.abs(Math.cos(2 * angle)) ** 3
        : 0.92 + 0.08 * Math.cos(3 * angle + 0.7);
    const d = (meters * shape) / EARTH_RADIUS;
    const lat1 = (lat * Math.PI) / 180;
    const lng1 = (lng * Math.PI) / 180;
    const lat2 = Math.asin(
      Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(angle),
    );
    const lng2 =
      lng1 +
      Math.atan2(
        Math.sin(angle) * Math.sin(d) * Math.cos(lat1),
        Math.cos(d) - Math.sin(lat1) * Math.sin(lat2),
      );
    ring.push([
      Math.round(((lng2 * 180) / Math.PI) * 1e6) / 1e6,
      Math.round(((lat2 * 180) / Math.PI) * 1e6) / 1e6,
    ]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

function parseOrigin(raw: string | undefined): [number, number] {
  const parts = (raw ?? '').split(',').map((p) => Number(p.trim()));
  const [lat, lng] = parts;
  if (
    parts.length !== 2 ||
    lat === undefined ||
    lng === undefined ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lng) ||
    Math.abs(lat) > 90 ||
    Math.abs(lng) > 180
  ) {
    throw new QueryError('origin must be "<latitude>,<longitude>".');
  }
  return [lat, lng];
}

export function ldsRoutes(ctx: DataContext) {
  const app = new Hono();

  app.get(
    '/v3/lds/isolines',
    dataHandler(ctx, (c, principal) => {
      if (!principal.scopes.includes('dataservices:isolines')) {
        return apiError(c, 403, 'Forbidden: the token needs the dataservices:isolines scope');
      }
      const [lat, lng] = parseOrigin(c.req.query('origin'));
      const mode = c.req.query('mode') ?? 'car';
      if (mode !== 'walk' && mode !== 'car') throw new QueryError('mode must be "walk" or "car".');
      const rangeType = c.req.query('range_type') ?? 'time';
      if (rangeType !== 'time' && rangeType !== 'distance')
        throw new QueryError('range_type must be "time" or "distance".');
      const ranges = (c.req.query('range') ?? '').split(',').map(Number);
      if (
        ranges.length === 0 ||
        ranges.length > 10 ||
        ranges.some(
          (r) => !Number.isFinite(r) || r <= 0 || r > 14_400 * (rangeType === 'distance' ? 50 : 1),
        )
      ) {
        throw new QueryError(
          'range must be 1 to 10 positive numbers (seconds for time, meters for distance).',
        );
      }
      const features: Feature[] = ranges.map((range) => ({
        type: 'Feature',
        properties: {
          mode,
          range,
          range_type: rangeType,
          approximation: 'Average speed × time, no road network (CARTO platform emulator)',
        },
        geometry: approximateIsoline(
          lng,
          lat,
          mode,
          rangeType === 'time' ? range * SPEED[mode] : range,
        ),
      }));
      return c.json({ type: 'FeatureCollection', features });
    }),
  );

  app.get(
    '/v3/lds/geocoding/geocode',
    dataHandler(ctx, async (c, principal) => {
      if (!principal.scopes.includes('dataservices:geocoding')) {
        return apiError(c, 403, 'Forbidden: the token needs the dataservices:geocoding scope');
      }
      const address = (c.req.query('address') ?? '').trim();
      if (address === '' || address.length > 200)
        throw new QueryError('address must be 1 to 200 characters.');
      const limit = Math.min(20, Math.max(1, Number(c.req.query('limit') ?? 1) || 1));
      const country = c.req.query('country');
      const places = ctx.db.findTable('carto_dw', 'demo.populated_places');
      if (!places) return apiError(c, 404, 'No gazetteer loaded');
      const params: (string | number)[] = [`${address.split(',')[0]?.trim() ?? address}%`];
      const countryClause = country ? ` AND country = ?` : '';
      if (country) params.push(country.toUpperCase());
      const r = await ctx.db.query(
        `SELECT name, country, population, __ymin AS latitude, __xmin AS longitude FROM ${qualified(places.schema, places.name)}
         WHERE name ILIKE ?${countryClause} ORDER BY population DESC LIMIT ${limit}`,
        params,
      );
      return c.json([{ value: r.rows.map((row) => ({ ...row, relevance: 1 })) }]);
    }),
  );
  return app;
}
