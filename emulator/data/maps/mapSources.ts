import type { Principal } from '../../auth/tokens';
import type { DataContext } from '../dataContext';
import { QueryError } from '../database';
import { ColumnNotFoundError, column, filtersToSql, shown, SqlBuilder } from '../filters';
import type { ResolvedSource } from '../sources';
import {
  aggregationSelect,
  checkAggregationExp,
  MAX_QUADBIN_RESOLUTION,
  parentCellSql,
  resolutionSql,
} from '../spatialIndex';
import { specId, type MapSourceSpec } from './mapSpec';

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

/** SQL aggregating a quadbin source to `resolution`, over the cells in [lo, hi]. */
export function aggregationSql(
  sql: SqlBuilder,
  source: ResolvedSource,
  spec: MapSourceSpec,
  resolution: number,
  range?: [bigint, bigint],
): string {
  const index = column(source, spec.spatialDataColumn);
  const extra = range ? [`${index} BETWEEN ${sql.param(range[0])} AND ${sql.param(range[1])}`] : [];
  const inner = `(SELECT * FROM ${source.relation} ${whereClause(sql, source, spec, extra)}) AS __agg`;
  const cell = `CAST(${parentCellSql(`__agg.${index}`, resolution)} AS VARCHAR)`;
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
  spec(id: string, kind?: 'geo' | 'quadbin'): MapSourceSpec {
    const spec = this.specs.get(id);
    if (!spec) throw new QueryError('Unknown map source: instantiate it again.', 404);
    if (kind === undefined || spec.spatialDataType === kind) return spec;
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
    if (spec.spatialDataType === 'quadbin') {
      await this.checkQuadbin(source, spec);
    } else if (spec.spatialDataType !== 'geo') {
      throw new QueryError(
        `spatialDataType "${spec.spatialDataType}" tiles are not available in the emulator ("geo" and "quadbin" sources only).`,
      );
    } else if (
      spec.spatialDataColumn !== 'geom' ||
      !source.columns.some((c) => c.name === 'geom')
    ) {
      throw new ColumnNotFoundError(spec.spatialDataColumn);
    }
    for (const name of spec.columns ?? []) column(source, name);
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

  private async checkQuadbin(source: ResolvedSource, spec: MapSourceSpec): Promise<void> {
    const index = source.columns.find((c) => c.name === spec.spatialDataColumn);
    if (!index) throw new ColumnNotFoundError(spec.spatialDataColumn);
    if (!/INT/i.test(index.type)) {
      throw new QueryError(
        `Column "${spec.spatialDataColumn}" is ${index.type}, not a quadbin index (an integer).`,
      );
    }
    if (spec.aggregationExp === undefined) {
      throw new QueryError(
        'aggregationExp is required for quadbin sources, e.g. "SUM(population) AS population".',
      );
    }
    const level = spec.aggregationResLevel;
    if (level === undefined || !Number.isInteger(level) || level < 0 || level > 12) {
      throw new QueryError('aggregationResLevel must be a whole number from 0 to 12.');
    }
    await checkAggregationExp(this.ctx.db, spec.aggregationExp);
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

  /** The one resolution of a quadbin source's cells (tiles select them as a range). */
  quadbinResolution(source: ResolvedSource, spec: MapSourceSpec): Promise<number> {
    const key = `${source.relation}/${spec.spatialDataColumn}`;
    let pending = this.resolutions.get(key);
    if (!pending) {
      pending = this.readQuadbinResolution(source, spec);
      pending.catch(() => this.resolutions.delete(key));
      this.resolutions.set(key, pending);
    }
    return pending;
  }

  private async readQuadbinResolution(source: ResolvedSource, spec: MapSourceSpec) {
    const index = column(source, spec.spatialDataColumn);
    const r = await this.ctx.db.query(
      `SELECT min(${resolutionSql(index)}) AS lo, max(${resolutionSql(index)}) AS hi FROM ${source.relation} WHERE ${index} IS NOT NULL`,
    );
    const lo = r.rows[0]?.lo as number | null;
    const hi = r.rows[0]?.hi as number | null;
    if (lo !== hi) {
      throw new QueryError(
        `The quadbin column "${spec.spatialDataColumn}" mixes resolutions ${String(lo)} to ${String(hi)}: use one resolution.`,
      );
    }
    return hi ?? MAX_QUADBIN_RESOLUTION;
  }
}
