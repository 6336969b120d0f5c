import { Hono } from 'hono';
import type { Feature } from 'geojson';
import type { DataContext } from '../data/dataContext';
import { canReadTable } from '../data/access';
import { QueryError, qualified } from '../data/database';
import { escapeLike } from '../data/filters';
import { approximateIsoline, parseOrigin, SPEED } from '../data/isolines';
import { forbidden, notFound } from '../http/errors';
import { requireBearer } from '../http/requireBearer';

/** Location data services (mounted at /v3/lds): each needs its `dataservices:` scope. */
export function ldsRoutes(ctx: DataContext) {
  const bearer = requireBearer(ctx.auth);
  return new Hono()
    .get('/isolines', bearer, (c) => {
      if (!c.var.principal.scopes.includes('dataservices:isolines')) {
        throw forbidden('Forbidden: the token needs the dataservices:isolines scope');
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
    })
    .get('/geocoding/geocode', bearer, async (c) => {
      if (!c.var.principal.scopes.includes('dataservices:geocoding')) {
        throw forbidden('Forbidden: the token needs the dataservices:geocoding scope');
      }
      const address = (c.req.query('address') ?? '').trim();
      if (address === '' || address.length > 200)
        throw new QueryError('address must be 1 to 200 characters.');
      const limit = Math.min(20, Math.max(1, Number(c.req.query('limit') ?? 1) || 1));
      const country = c.req.query('country');
      const places = ctx.db.findTable('carto_dw', 'demo.populated_places');
      if (!places) throw notFound('No gazetteer loaded');
      // The check every data route makes (access.ts), with dataservices:geocoding standing for
      // read:connections on the gazetteer, as the service reads it for the caller: a user
      // without its connection, or a token narrowed by dataset scopes to other tables, is refused.
      const { principal } = c.var;
      const reader = { ...principal, scopes: [...principal.scopes, 'read:connections'] };
      if (!canReadTable(ctx.auth.config, reader, places)) {
        throw forbidden(`Forbidden: the token may not read "${places.qualifiedName}"`);
      }
      // The address is text to match, never a pattern: its %, _ and \ match themselves.
      const name = address.split(',')[0]?.trim() ?? address;
      const params: (string | number)[] = [`${escapeLike(name)}%`];
      const countryClause = country ? ` AND country = ?` : '';
      if (country) params.push(country.toUpperCase());
      const r = await ctx.db.query(
        `SELECT name, country, population, __ymin AS latitude, __xmin AS longitude FROM ${qualified(places.schema, places.name)}
         WHERE name ILIKE ? ESCAPE '\\'${countryClause} ORDER BY population DESC LIMIT ${limit}`,
        params,
      );
      return c.json([{ value: r.rows.map((row) => ({ ...row, relevance: 1 })) }]);
    });
}
