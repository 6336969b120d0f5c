import { column, SqlBuilder } from '../filters';
import { FEATURE_ID_COLUMN } from '../featureIds';
import type { ResolvedSource } from '../sources';
import { DEFAULT_AGGREGATION_RES_LEVEL } from '../spatialIndex';
import { fractionDropped, MAX_ZOOM, TILE_FEATURE_LIMIT } from '../tiles';
import { aggregationSql, isNumericType, whereClause, type MapSources } from './mapSources';
import { isSpatialIndex, type MapSourceSpec } from './mapSpec';
import { DEFAULT_H3_AGGREGATION_RES_LEVEL } from '../h3Index';

const WORLD: [number, number, number, number] = [-180, -85.05, 180, 85.05];

/** The TileJSON fields every source has (`base` is where its tiles live). */
function tilejsonHeader(maps: MapSources, id: string, spec: MapSourceSpec, bounds: number[]) {
  const [west = -180, south = -85.05, east = 180, north = 85.05] = bounds;
  return {
    tilejson: '3.0.0',
    name: spec.name ?? 'query',
    description: '',
    version: '1.0.0',
    attribution: 'CARTO platform emulator',
    scheme: 'xyz',
    base: `${maps.ctx.auth.issuer}/v3/maps/${encodeURIComponent(spec.connection)}/${spec.type}/${id}`,
    bounds,
    center: [(west + east) / 2, (south + north) / 2, 2],
  };
}

/** A source's TileJSON: z/x/y MVT tiles for geometry, `{i}` spatial-index tiles for H3/quadbin. */
export function buildTilejson(
  maps: MapSources,
  source: ResolvedSource,
  id: string,
  spec: MapSourceSpec,
) {
  return isSpatialIndex(spec.spatialDataType)
    ? spatialIndexTilejson(maps, source, id, spec)
    : vectorTilejson(maps, source, id, spec);
}

async function vectorTilejson(
  maps: MapSources,
  source: ResolvedSource,
  id: string,
  spec: MapSourceSpec,
) {
  const { db } = maps.ctx;
  const sql = new SqlBuilder();
  const where = whereClause(sql, source, spec);
  const [extent] = (
    await db.query(
      `SELECT count(*) AS n, min(__xmin) AS xmin, min(__ymin) AS ymin, max(__xmax) AS xmax, max(__ymax) AS ymax FROM ${source.relation} ${where}`,
      sql.params,
    )
  ).rows as {
    n: number;
    xmin: number | null;
    ymin: number | null;
    xmax: number | null;
    ymax: number | null;
  }[];
  const total = extent?.n ?? 0;
  const bounds: [number, number, number, number] =
    extent?.xmin != null && extent.ymin != null && extent.xmax != null && extent.ymax != null
      ? [
          Math.max(-180, extent.xmin),
          Math.max(-85.05, extent.ymin),
          Math.min(180, extent.xmax),
          Math.min(85.05, extent.ymax),
        ]
      : WORLD;
  // Most features in one tile, per zoom: what the per-tile limit drops.
  const zooms = Array.from({ length: 13 }, (_, z) => z);
  const perZoom = await Promise.all(
    zooms.map(async (z) => {
      const s = new SqlBuilder();
      const w = whereClause(s, source, spec);
      const n = 2 ** z;
      const r = await db.query(
        `SELECT max(c) AS m FROM (SELECT count(*) AS c FROM ${source.relation} ${w}
           GROUP BY floor((least(greatest(__xmin, -180), 179.9999) + 180) / 360 * ${n}),
                    floor((1 - ln(tan(radians(least(greatest(__ymin, -85), 85))) + 1 / cos(radians(least(greatest(__ymin, -85), 85)))) / pi()) / 2 * ${n}))`,
        s.params,
      );
      return Number(r.rows[0]?.m ?? 0);
    }),
  );
  const attributes = await Promise.all(
    (spec.columns ?? source.columns.map((col) => col.name))
      .filter((name) => name !== 'geom' && name !== FEATURE_ID_COLUMN)
      .map(async (name) => {
        const col = source.columns.find((x) => x.name === name);
        const quoted = column(source, name);
        const numeric = /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i.test(col?.type ?? '');
        if (numeric) {
          const r = await db.query(
            `SELECT min(${quoted}) AS min, max(${quoted}) AS max FROM ${source.relation}`,
          );
          return { attribute: name, type: 'Number', min: r.rows[0]?.min, max: r.rows[0]?.max };
        }
        const r = await db.query(
          `SELECT CAST(${quoted} AS VARCHAR) AS category, count(*) AS frequency FROM ${source.relation} GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
        );
        return { attribute: name, type: 'String', categories: r.rows };
      }),
  );
  const { base, ...header } = tilejsonHeader(maps, id, spec, bounds);
  return {
    ...header,
    tiles: [`${base}/tiles/{z}/{x}/{y}?formatTiles=mvt`],
    minzoom: 0,
    maxzoom: MAX_ZOOM,
    vector_layers: [
      {
        id: 'default',
        minzoom: 0,
        maxzoom: MAX_ZOOM,
        fields: Object.fromEntries(attributes.map((a) => [a.attribute, a.type])),
      },
    ],
    tilestats: {
      layerCount: 1,
      layers: [{ layer: 'default', count: total, attributeCount: attributes.length, attributes }],
    },
    fraction_dropped_per_zoom: fractionDropped(perZoom, total),
    tile_feature_limit: TILE_FEATURE_LIMIT,
    schema: source.columns.map((col) => ({ name: col.name, type: col.type.toLowerCase() })),
  };
}

async function spatialIndexTilejson(
  maps: MapSources,
  source: ResolvedSource,
  id: string,
  spec: MapSourceSpec,
) {
  const { db } = maps.ctx;
  const h3 = spec.spatialDataType === 'h3';
  const dataResolution = await maps.indexResolution(source, spec);
  const level =
    spec.aggregationResLevel ??
    (h3 ? DEFAULT_H3_AGGREGATION_RES_LEVEL : DEFAULT_AGGREGATION_RES_LEVEL);
  const maxresolution = Math.max(0, dataResolution - level);
  // Value ranges over the finest tiles' cells (what a legend needs), computed in SQL.
  const described = new SqlBuilder();
  const cells = `(${aggregationSql(described, source, spec, dataResolution)}) AS __cells`;
  const outputs = (
    await db.query(`SELECT * FROM ${cells} LIMIT 0`, described.params)
  ).columns.filter((col) => col.name !== '__cell');
  const numeric = outputs.filter((col) => isNumericType(col.type));
  const stats = new SqlBuilder();
  const ranges = numeric.flatMap((col, i) => {
    const quoted = column({ columns: outputs }, col.name);
    return [`min(${quoted}) AS min_${i}`, `max(${quoted}) AS max_${i}`];
  });
  const [row = {}] = (
    await db.query(
      `SELECT ${['count(*) AS n', ...ranges].join(', ')} FROM (${aggregationSql(stats, source, spec, dataResolution)}) AS __cells`,
      stats.params,
    )
  ).rows;
  const attributes = outputs.map((col) => {
    const i = numeric.indexOf(col);
    if (i < 0) return { attribute: col.name, type: 'String' };
    return { attribute: col.name, type: 'Number', min: row[`min_${i}`], max: row[`max_${i}`] };
  });
  const bounds = source.table?.bounds ?? WORLD;
  const { base, ...header } = tilejsonHeader(maps, id, spec, bounds);
  return {
    ...header,
    // CARTO names the index here: deck.gl's heatmap and cluster layers read it.
    scheme: h3 ? 'h3' : 'quadbin',
    tiles: [`${base}/tiles/{i}?formatTiles=binary&spatialIndex=${h3 ? 'h3' : 'quadbin'}`],
    minresolution: 0,
    maxresolution,
    minzoom: 0,
    maxzoom: maxresolution,
    tilestats: {
      layerCount: 1,
      layers: [
        {
          layer: 'default',
          count: Number(row.n ?? 0),
          attributeCount: attributes.length,
          attributes,
        },
      ],
    },
    schema: outputs.map((col) => ({ name: col.name, type: col.type.toLowerCase() })),
  };
}
