/**
 * Quadbin spatial-index tiles: CARTO's `spatialDataType=quadbin` sources (H3's are in h3Index,
 * and share this file's tile encoding). A tile `{i}` is a
 * quadbin cell; its content is the source's cells inside it, aggregated by the client's
 * `aggregationExp` to resolution `tile zoom + aggregationResLevel`, encoded in CARTO's spatial
 * tile protobuf (schema: @deck.gl/carto `layers/schema/carto-spatial-tile`).
 */
import Pbf from 'pbf';
import { cellToTile, hexToBigInt, tileToCell } from 'quadbin';
import { QueryError, type Database } from './database';
import { analyzeSelect } from './sqlGuard';

/** quadbin's defaults: aggregate to 6 levels below the tile (64 × 64 cells per tile). */
export const DEFAULT_AGGREGATION_RES_LEVEL = 6;
export const MAX_QUADBIN_RESOLUTION = 26;
export const SPATIAL_TILE_CONTENT_TYPE = 'application/vnd.carto-spatial-tile';

/** The tile `{i}` of a URL: a quadbin cell in hex (as deck.gl's QuadbinTileset2D writes it). */
export function parseTileCell(hex: string): { cell: bigint; z: number; x: number; y: number } {
  if (!/^[0-9a-f]{16}$/i.test(hex)) throw new QueryError('Invalid quadbin tile index');
  const cell = hexToBigInt(hex);
  let tile: { x: number; y: number; z: number };
  try {
    tile = cellToTile(cell);
  } catch {
    throw new QueryError('Invalid quadbin tile index');
  }
  if (tileToCell(tile) !== cell) throw new QueryError('Invalid quadbin tile index');
  return { cell, ...tile };
}

const HEADER = 0x4000000000000000n | (1n << 59n);

/**
 * quadbin's tileToCell with the Morton interleave done in plain numbers (z ≤ 26 needs at most
 * 52 bits, exact in a double): one BigInt step per cell instead of a dozen, which is what
 * loading 135,000 points at start-up needs. A test checks it against the quadbin package.
 */
export function fastTileToCell(z: number, x: number, y: number): bigint {
  return mortonToCell(z, morton(z, x, y));
}

/** x and y bits interleaved (x even, y odd): quadbin's order within one resolution. */
export function morton(z: number, x: number, y: number): number {
  let code = 0;
  let weight = 1;
  for (let bit = 0; bit < z; bit++) {
    const mask = 2 ** bit;
    if (Math.floor(x / mask) % 2) code += weight;
    if (Math.floor(y / mask) % 2) code += weight * 2;
    weight *= 4;
  }
  return code;
}

export function mortonToCell(z: number, code: number): bigint {
  const shift = BigInt(52 - 2 * z);
  return HEADER | (BigInt(z) << 52n) | (BigInt(code) << shift) | ((1n << shift) - 1n);
}

/** The Web Mercator tile x, y containing a point at zoom `z`. */
export function pointToTile(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const clampedLat = Math.max(-85.051128, Math.min(85.051128, lat));
  const sin = Math.sin((clampedLat * Math.PI) / 180);
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor((0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * n);
  const clamp = (v: number) => Math.min(n - 1, Math.max(0, v));
  return [clamp(x), clamp(y)];
}

/** The quadbin cell of a point at a resolution. */
export function pointToCell(lon: number, lat: number, resolution: number): bigint {
  const [x, y] = pointToTile(lon, lat, resolution);
  return fastTileToCell(resolution, x, y);
}

/**
 * The cells at `resolution` inside tile z/x/y form one contiguous range of quadbin values
 * (Morton order), so a tile is a BETWEEN on the index column.
 */
export function childRange(z: number, x: number, y: number, resolution: number): [bigint, bigint] {
  const d = resolution - z;
  const first = tileToCell({ z: resolution, x: x * 2 ** d, y: y * 2 ** d });
  const last = tileToCell({ z: resolution, x: (x + 1) * 2 ** d - 1, y: (y + 1) * 2 ** d - 1 });
  return [first, last];
}

/** SQL for the parent cell of `column` at a resolution (quadbin's cellToParent, in DuckDB). */
export function parentCellSql(column: string, resolution: number): string {
  const r = Math.trunc(resolution);
  return `((${column} & ~(31::BIGINT << 52)) | (${r}::BIGINT << 52) | (4503599627370495::BIGINT >> ${2 * r}))`;
}

/** SQL for a quadbin's resolution. */
export function resolutionSql(column: string): string {
  return `((${column} >> 52) & 31)`;
}

const AGGREGATION_RELATION = '__agg';

/**
 * Checks a client's `aggregationExp` ("SUM(population) AS population, COUNT(*) AS n") with
 * DuckDB's parser, in exactly the statement shape it will run in: one SELECT over the
 * source's rows and nothing else (no other table, no table function, no second statement).
 */
export async function checkAggregationExp(db: Database, expression: string): Promise<void> {
  if (expression.trim() === '') throw new QueryError('aggregationExp is empty.');
  const tables = await analyzeSelect(db, aggregationSelect(expression, AGGREGATION_RELATION));
  if (tables.length !== 1 || tables[0]?.name !== AGGREGATION_RELATION || tables[0].schema !== '') {
    throw new QueryError('aggregationExp may only aggregate the source’s own columns.');
  }
}

/** The aggregation query: the cell, then the client's expressions, per cell of `from`. */
export function aggregationSelect(expression: string, from: string, cell = '0'): string {
  return `SELECT ${cell} AS __cell, ${expression}\nFROM ${from} GROUP BY 1`;
}

export interface SpatialTileCells {
  scheme: 'h3' | 'quadbin';
  cells: bigint[];
  /** Numeric columns, one value per cell (NaN for null). */
  numeric: Map<string, Float64Array>;
  /** Other columns as text, one value per cell (absent for null). */
  text: Map<string, (string | undefined)[]>;
}

const rawBytes = (array: BigUint64Array | Float64Array) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/**
 * Encodes cells in CARTO's spatial tile protobuf: Tile { 1: scheme, 2: Cells { 1: Indices
 * { 1: uint64 bytes }, 2: repeated Properties { 1: repeated {1: key, 2: value} }, 3: repeated
 * { 1: key, 2: { 1: float64 bytes } } } }. Arrays are raw little-endian bytes, as read.
 */
/** pbf's writeMessage with the nested writer typed as always present (it is). */
function writeMessage(pbf: Pbf, tag: number, write: (out: Pbf) => void): void {
  pbf.writeMessage(
    tag,
    (_obj: null, out?: Pbf) => {
      if (out) write(out);
    },
    null,
  );
}

export function encodeSpatialTile(tile: SpatialTileCells): Uint8Array {
  const pbf = new Pbf();
  // Scheme: 0 for H3, 1 for quadbin (deck.gl's decoder takes it from its options instead).
  if (tile.scheme === 'quadbin') pbf.writeVarintField(1, 1);
  writeMessage(pbf, 2, (cells) => {
    writeMessage(cells, 1, (indices) => {
      indices.writeBytesField(1, rawBytes(BigUint64Array.from(tile.cells)));
    });
    if (tile.text.size > 0) {
      tile.cells.forEach((_cell, i) => {
        writeMessage(cells, 2, (props) => {
          for (const [key, values] of tile.text) {
            const value = values[i];
            if (value === undefined) continue;
            writeMessage(props, 1, (kv) => {
              kv.writeStringField(1, key);
              kv.writeStringField(2, value);
            });
          }
        });
      });
    }
    for (const [key, values] of tile.numeric) {
      writeMessage(cells, 3, (entry) => {
        entry.writeStringField(1, key);
        writeMessage(entry, 2, (prop) => {
          prop.writeBytesField(1, rawBytes(values));
        });
      });
    }
  });
  return pbf.finish();
}
