/**
 * H3 spatial-index tiles: CARTO's `spatialDataType=h3` sources. A tile `{i}` is an H3 cell (hex,
 * as deck.gl's H3Tileset2D writes it); its content is the source's cells whose ancestor at the
 * tile's resolution is that cell, aggregated by the client's `aggregationExp` to resolution
 * `tile resolution + aggregationResLevel`. The cell arithmetic is done on the 64-bit index in
 * SQL (H3's bit layout), so a tile is one range test on the source's column.
 *
 * H3 index layout (h3geo.org/docs/library/index/cell): bit 63 reserved, 59–62 mode, 56–58
 * reserved, 52–55 resolution, 45–51 base cell, then fifteen 3-bit digits (resolution 1 in bits
 * 42–44 … resolution 15 in bits 0–2); digits below the cell's resolution are all 7.
 */
import { getResolution, isValidCell } from 'h3-js';
import { QueryError } from './database';

/** @carto/api-client's default for H3 sources: aggregate to 4 resolutions below the tile. */
export const DEFAULT_H3_AGGREGATION_RES_LEVEL = 4;
export const MAX_H3_RESOLUTION = 15;

/** The bits of the digits below resolution `r` (all 7 in a cell of resolution r). */
const unusedDigits = (r: number): bigint => (1n << BigInt(3 * (MAX_H3_RESOLUTION - r))) - 1n;

const RESOLUTION_BITS = 15n << 52n;

/** The tile `{i}` of a URL: an H3 cell in hex, with its index and resolution. */
export function parseH3TileCell(hex: string): { cell: bigint; resolution: number } {
  if (!/^[0-9a-f]{15,16}$/i.test(hex) || !isValidCell(hex)) {
    throw new QueryError('Invalid H3 tile index');
  }
  return { cell: BigInt(`0x${hex}`), resolution: getResolution(hex) };
}

/**
 * SQL for an H3 column's cells as BIGINT: a text column holds them in hex (`85283473fffffff`),
 * an integer column (CARTO's `h3int`) as the number itself.
 */
export function h3IntegerSql(column: string, type: string): string {
  return /INT/i.test(type) ? `CAST(${column} AS BIGINT)` : `TRY_CAST('0x' || ${column} AS BIGINT)`;
}

/** SQL for the ancestor at resolution `r` of the BIGINT cell `cell` (h3-js's cellToParent). */
export function h3ParentSql(cell: string, r: number): string {
  const resolution = Math.trunc(r);
  const digits = unusedDigits(resolution);
  const keep = ~(RESOLUTION_BITS | digits) & 0x7fffffffffffffffn;
  return `((${cell} & ${keep}::BIGINT) | ${BigInt(resolution) << 52n}::BIGINT | ${digits}::BIGINT)`;
}

/** SQL for an H3 cell's resolution. */
export function h3ResolutionSql(cell: string): string {
  return `((${cell} >> 52) & 15)`;
}

/**
 * The cells of resolution `resolution` descending from `tile` lie in one range of index values:
 * the tile's own digits, the resolution's field, and any digits below the tile's resolution.
 */
export function h3ChildRange(tile: bigint, tileResolution: number, resolution: number) {
  const below = unusedDigits(tileResolution);
  const first = (tile & ~(RESOLUTION_BITS | below)) | (BigInt(resolution) << 52n);
  return [first, first | below] as [bigint, bigint];
}
