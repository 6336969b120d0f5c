import type { Principal } from '../../auth/tokens';
import type { DataContext } from '../dataContext';
import { QueryError, type Database } from '../database';
import { FEATURE_ID_COLUMN } from '../featureIds';
import { ColumnNotFoundError, column, filtersToSql, shown, SqlBuilder } from '../filters';
import type { ResolvedSource } from '../sources';
import {
  aggregationSelect,
  checkAggregationExp,
  MAX_QUADBIN_RESOLUTION,
  parentCellSql,
  resolutionSql,
} from '../spatialIndex';
import { h3IntegerSql, h3ParentSql, h3ResolutionSql, MAX_H3_RESOLUTION } from '../h3Index';
import { isSpatialIndex, specId, type MapSourceSpec, type SpatialIndexType } from './mapSpec';

const GEOMETRY_TYPES = [
  'Point',
  'MultiPoint',
  'LineString',
  'MultiLineString',
  'Polygon',
  'MultiPolygon',
  'GeometryCollection',
];

export const isNumericType = (type: string) =>
  /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i.test(type) && !/\[\]|MAP|STRUCT/i.test(type);

/** The WHERE of every map query: the spec's filters, `extra`, and rows that have a location. */
export function whereClause(
  sql: SqlBuilder,
  source: ResolvedSource,
  spec: MapSourceSpec,
  extra: string[] = [],
): string {
  const filters = filtersToSql(sql, source, spec.filters, spec.filtersLogicalOperator);
  const present = `${column(source, spec.spatialDataColumn)} IS NOT NULL`;
  const clauses = [...extra, ...(filters ? [filters] : []), present];
  return `WHERE ${clauses.join(' AND ')}`;
}

/** Where a spatial-index source keeps its cells. */
type IndexColumn = Pick<MapSourceSpec, 'spatialDataType' | 'spatialDataColumn'>;

/**
 * SQL for a spatial-index source's cells as integers: quadbin columns are integers already; H3
 * ones may be hex text (`85283473fffffff`) or integers (`h3int`).
 */
export function cellSql(source: ResolvedSource, spec: IndexColumn, relation?: string): string {
  const quoted = column(source, spec.spatialDataColumn);
  const index = relation ? `${relation}.${quoted}` : quoted;
  if (spec.spatialDataType !== 'h3') return index;
  const type = source.columns.find((c) => c.name === spec.spatialDataColumn)?.type ?? '';
  return h3IntegerSql(index, type);
}

/** SQL for the ancestor at `resolution` of a spatial-index cell (an integer). */
const parentSql = (type: SpatialIndexType, cell: string, resolution: number) =>
  type === 'h3' ? h3ParentSql(cell, resolution) : parentCellSql(cell, resolution);

/** SQL aggregating a spatial-index source to `resolution`, over the cells in [lo, hi]. */
export function aggregationSql(
  sql: SqlBuilder,
  source: ResolvedSource,
  spec: MapSourceSpec,
  resolution: number,
  range?: [bigint, bigint],
): string {
  const index = cellSql(source, spec);
  const extra = range ? [`${index} BETWEEN ${sql.param(range[0])} AND ${sql.param(range[1])}`] : [];
  const inner = `(SELECT * FROM ${source.relation} ${whereClause(sql, source, spec, extra)}) AS __agg`;
  const type = spec.spatialDataType === 'h3' ? 'h3' : 'quadbin';
  const cell = `CAST(${parentSql(type, cellSql(source, spec, '__agg'), resolution)} AS VARCHAR)`;
  return aggregationSelect(spec.aggregationExp ?? '', inner, cell);
}

/**
 * The instantiated map sources: their specs by id, and what every later request (TileJSON,
 * tiles) does with one: resolve it again for the caller, so access is checked every time.
 */
export class MapSources {
  private readonly specs = new Map<string, MapSourceSpec>();
  private readonly resolutions = new Map<string, Promise<number>>();

  constructor(readonly ctx: DataContext) {}

  register(spec: MapSourceSpec): string {
    const id = specId(spec);
    this.specs.set(id, spec);
    return id;
  }

  /** The spec a URL's id names; `kind` when the URL is a tile of that kind. */
  spec(id: string, kind?: 'geo' | 'index'): MapSourceSpec {
    const spec = this.specs.get(id);
    if (!spec) throw new QueryError('Unknown map source: instantiate it again.', 404);
    if (kind === undefined || (kind === 'index') === isSpatialIndex(spec.spatialDataType))
      return spec;
    throw new QueryError(
      kind === 'geo'
        ? 'This source has spatial-index tiles ({i}), not z/x/y tiles.'
        : 'This source has z/x/y tiles, not spatial-index tiles.',
    );
  }

  async resolve(principal: Principal, spec: MapSourceSpec): Promise<ResolvedSource> {
    const { sources } = this.ctx;
    const source =
      spec.type === 'table'
        ? sources.table(principal, spec.connection, spec.name)
        : await sources.query(principal, spec.connection, spec.q, spec.queryParameters);
    sources.recheck(principal, source);
    return source;
  }

  /** Validates what the request asks of the source; throws "Column not found" and the like. */
  async check(source: ResolvedSource, spec: MapSourceSpec): Promise<void> {
    if (isSpatialIndex(spec.spatialDataType)) {
      await this.checkSpatialIndex(source, spec, spec.spatialDataType);
    } else if (spec.spatialDataType !== 'geo') {
      throw new QueryError(
        `spatialDataType "${spec.spatialDataType}" tiles are not available in the emulator ("geo", "h3" and "quadbin" sources only).`,
      );
    } else if (
      spec.spatialDataColumn !== 'geom' ||
      !source.columns.some((c) => c.name === 'geom')
    ) {
      throw new ColumnNotFoundError(spec.spatialDataColumn);
    }
    // CARTO's feature id is a column of vector tiles too, when asked for (featureIds).
    for (const name of spec.columns ?? []) {
      if (name !== FEATURE_ID_COLUMN || spec.spatialDataType !== 'geo') column(source, name);
    }
    filtersToSql(new SqlBuilder(), source, spec.filters, spec.filtersLogicalOperator);
    if (spec.spatialDataType === 'geo' && !source.table) await this.checkGeometries(source);
  }

  /**
   * A query's `geom` must be GeoJSON text: the first value that is not even JSON with a
   * geometry type is a 400 now, not at the first tile (which checks every feature it draws).
   */
  private async checkGeometries(source: ResolvedSource): Promise<void> {
    const text = 'CAST(geom AS VARCHAR)';
    const types = GEOMETRY_TYPES.map((t) => `'${t}'`).join(', ');
    const r = await this.ctx.db.query(
      `SELECT ${text} AS g FROM ${source.relation} WHERE geom IS NOT NULL AND NOT coalesce(CASE WHEN json_valid(${text}) THEN json_extract_string(${text}, '$.type') IN (${types}) END, false) LIMIT 1`,
    );
    const [bad] = r.rows;
    if (bad) {
      throw new QueryError(
        `The source's geom column must hold GeoJSON geometries (as text); one row has ${shown(bad.g)}.`,
      );
    }
  }

  private async checkSpatialIndex(
    source: ResolvedSource,
    spec: MapSourceSpec,
    type: SpatialIndexType,
  ): Promise<void> {
    const index = source.columns.find((c) => c.name === spec.spatialDataColumn);
    if (!index) throw new ColumnNotFoundError(spec.spatialDataColumn);
    if (type === 'quadbin' && !/INT/i.test(index.type)) {
      throw new QueryError(
        `Column "${spec.spatialDataColumn}" is ${index.type}, not a quadbin index (an integer).`,
      );
    }
    if (type === 'h3' && !/INT|VARCHAR|TEXT|STRING/i.test(index.type)) {
      throw new QueryError(
        `Column "${spec.spatialDataColumn}" is ${index.type}, not an H3 index (hex text or an integer).`,
      );
    }
    if (spec.aggregationExp === undefined) {
      throw new QueryError(
        `aggregationExp is required for ${type} sources, e.g. "SUM(population) AS population".`,
      );
    }
    const level = spec.aggregationResLevel;
    if (level === undefined || !Number.isInteger(level) || level < 0 || level > 12) {
      throw new QueryError('aggregationResLevel must be a whole number from 0 to 12.');
    }
    await checkAggregationExp(this.ctx.db, spec.aggregationExp);
    // The cells' resolution (one for all) and, for H3, that every value is a cell.
    await this.indexResolution(source, spec);
  }

  /** Rows the source has after the spec's filters (the instantiation's `nrows`). */
  async count(source: ResolvedSource, spec: MapSourceSpec): Promise<number> {
    const sql = new SqlBuilder();
    const r = await this.ctx.db.query(
      `SELECT count(*) AS n FROM ${source.relation} ${whereClause(sql, source, spec)}`,
      sql.params,
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  /** The one resolution of a spatial-index source's cells (tiles select them as a range). */
  indexResolution(source: ResolvedSource, spec: MapSourceSpec): Promise<number> {
    const key = `${source.relation}/${spec.spatialDataType}/${spec.spatialDataColumn}`;
    let pending = this.resolutions.get(key);
    if (!pending) {
      pending = indexResolution(this.ctx.db, source, spec);
      pending.catch(() => this.resolutions.delete(key));
      this.resolutions.set(key, pending);
    }
    return pending;
  }
}

/**
 * The one resolution of a spatial-index source's cells; a 400 when they mix resolutions or, for
 * H3, when a value is not a cell.
 */
export async function indexResolution(
  db: Database,
  source: ResolvedSource,
  spec: IndexColumn,
): Promise<number> {
  const h3 = spec.spatialDataType === 'h3';
  const raw = column(source, spec.spatialDataColumn);
  const cell = cellSql(source, spec);
  const resolution = h3 ? h3ResolutionSql(cell) : resolutionSql(cell);
  // An H3 value that is not a cell (not hex, or the wrong mode bits) is named, not skipped.
  const invalid = h3
    ? `, arg_min(CAST(${raw} AS VARCHAR), CASE WHEN ${cell} IS NULL OR ((${cell} >> 59) & 15) <> 1 THEN 0 END) AS bad`
    : '';
  const r = await db.query(
    `SELECT min(${resolution}) AS lo, max(${resolution}) AS hi${invalid} FROM ${source.relation} WHERE ${raw} IS NOT NULL`,
  );
  const row = r.rows[0] ?? {};
  if (typeof row.bad === 'string') {
    throw new QueryError(
      `The H3 column "${spec.spatialDataColumn}" holds "${shown(row.bad)}", which is not an H3 cell index.`,
    );
  }
  const lo = row.lo as number | null;
  const hi = row.hi as number | null;
  if (lo !== hi) {
    throw new QueryError(
      `The ${spec.spatialDataType} column "${spec.spatialDataColumn}" mixes resolutions ${String(lo)} to ${String(hi)}: use one resolution.`,
    );
  }
  return hi ?? (h3 ? MAX_H3_RESOLUTION : MAX_QUADBIN_RESOLUTION);
}
