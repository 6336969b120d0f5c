import type { Feature, Geometry } from 'geojson';
import { QueryError } from '../database';
import { bboxToSql, column, shown, SqlBuilder } from '../filters';
import { exactJsonText } from '../exactJson';
import { isGeometry } from '../geometry';
import type { ResolvedSource } from '../sources';
import {
  childRange,
  DEFAULT_AGGREGATION_RES_LEVEL,
  encodeSpatialTile,
  parseTileCell,
  type SpatialTileCells,
} from '../spatialIndex';
import { FEATURE_ID_COLUMN, featureIdSql } from '../featureIds';
import { encodeMvt, TILE_FEATURE_LIMIT, tileBBox } from '../tiles';
import { DEFAULT_H3_AGGREGATION_RES_LEVEL, h3ChildRange, parseH3TileCell } from '../h3Index';
import { aggregationSql, isNumericType, whereClause, type MapSources } from './mapSources';
import type { MapSourceSpec } from './mapSpec';

/**
 * A row's `geom` (GeoJSON text) as a geometry. A query source may put anything in `geom`:
 * what is not a GeoJSON geometry is the client's error, a 400 that shows it.
 */
function parseGeometry(text: unknown): Geometry {
  let value: unknown;
  try {
    value = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    value = undefined;
  }
  if (!isGeometry(value)) {
    throw new QueryError(
      `The source's geom column must hold GeoJSON geometries (as text); one row has ${shown(text)}.`,
    );
  }
  return value;
}

/** A vector tile: the source's features in z/x/y, as MVT (null when empty). */
export async function vectorTile(
  maps: MapSources,
  source: ResolvedSource,
  spec: MapSourceSpec,
  z: number,
  x: number,
  y: number,
): Promise<Uint8Array | null> {
  const sql = new SqlBuilder();
  const where = whereClause(sql, source, spec, [bboxToSql(sql, tileBBox(z, x, y))]);
  const properties = (spec.columns ?? source.columns.map((col) => col.name)).filter(
    (name) => name !== 'geom',
  );
  const select = properties
    .map((name) =>
      name === FEATURE_ID_COLUMN
        ? `${featureIdSql()} AS ${FEATURE_ID_COLUMN}`
        : column(source, name),
    )
    .join(', ');
  const rows = (
    await maps.ctx.db.query(
      `SELECT ${select}${select ? ', ' : ''}geom FROM ${source.relation} ${where} ORDER BY __rank LIMIT ${TILE_FEATURE_LIMIT}`,
      sql.params,
    )
  ).rows;
  const features: Feature[] = rows.map((row) => {
    const props: Record<string, string | number | boolean> = {};
    for (const name of properties) {
      const value = row[name];
      if (value === null || value === undefined) continue;
      // MVT readers take integers as doubles: one past 2^53 (a 64-bit id) goes as its digits.
      props[name] =
        typeof value === 'bigint'
          ? value.toString()
          : typeof value === 'object'
            ? exactJsonText(value)
            : (value as string | number | boolean);
    }
    return {
      type: 'Feature',
      properties: props,
      geometry: parseGeometry(row.geom),
    };
  });
  return encodeMvt(features, z, x, y);
}

/**
 * A spatial-index tile: the cells inside tile `index` (a quadbin cell, or an H3 cell, in hex),
 * aggregated `aggregationResLevel` resolutions below it (null when empty).
 */
export async function spatialIndexTile(
  maps: MapSources,
  source: ResolvedSource,
  spec: MapSourceSpec,
  index: string,
): Promise<Uint8Array | null> {
  const h3 = spec.spatialDataType === 'h3';
  const dataResolution = await maps.indexResolution(source, spec);
  // Parsed first (a malformed index is a 400 whatever the data), ranged only when the tile is
  // not finer than the data: a finer tile has no cells of its own (and no child range).
  const at = h3 ? parseH3TileCell(index) : parseTileCell(index);
  const tileResolution = 'resolution' in at ? at.resolution : at.z;
  if (tileResolution > dataResolution) return null;
  const range =
    'resolution' in at
      ? h3ChildRange(at.cell, at.resolution, dataResolution)
      : childRange(at.z, at.x, at.y, dataResolution);
  const level =
    spec.aggregationResLevel ??
    (h3 ? DEFAULT_H3_AGGREGATION_RES_LEVEL : DEFAULT_AGGREGATION_RES_LEVEL);
  const resolution = Math.min(dataResolution, tileResolution + level);
  const sql = new SqlBuilder();
  const result = await maps.ctx.db.query(
    aggregationSql(sql, source, spec, resolution, range),
    sql.params,
  );
  if (result.rows.length === 0) return null;
  const tile: SpatialTileCells = {
    scheme: h3 ? 'h3' : 'quadbin',
    cells: result.rows.map((row) => BigInt(String(row.__cell))),
    numeric: new Map(),
    text: new Map(),
  };
  for (const col of result.columns) {
    if (col.name === '__cell') continue;
    const values = result.rows.map((row) => row[col.name]);
    // A number past 2^53 (a 64-bit id) would round in the tile's doubles: such a column goes
    // as text, the digits exact.
    if (isNumericType(col.type) && !values.some((v) => typeof v === 'bigint')) {
      tile.numeric.set(
        col.name,
        Float64Array.from(values, (v) => (v == null ? NaN : Number(v))),
      );
    } else {
      tile.text.set(
        col.name,
        values.map((v) =>
          v == null
            ? undefined
            : typeof v === 'string'
              ? v
              : typeof v === 'bigint'
                ? v.toString()
                : exactJsonText(v),
        ),
      );
    }
  }
  return encodeSpatialTile(tile);
}
