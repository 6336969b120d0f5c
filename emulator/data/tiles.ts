import GeoJSONVT, { type LegacyFeature, type LegacyTile } from 'geojson-vt';
import vtpbf from 'vt-pbf';
import type { Feature, FeatureCollection } from 'geojson';
import type { BBox } from './filters';

/** Features per tile: beyond this a tile keeps an evenly spread sample (ranked per row). */
export const TILE_FEATURE_LIMIT = 5_000;
export const MAX_ZOOM = 20;

function tileToLon(x: number, z: number): number {
  return (x / 2 ** z) * 360 - 180;
}

function tileToLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
}

/** The tile's bounds in degrees, grown by `buffer` (a fraction of the tile) on each side. */
export function tileBBox(z: number, x: number, y: number, buffer = 0.05): BBox {
  const west = tileToLon(x - buffer, z);
  const east = tileToLon(x + 1 + buffer, z);
  const north = tileToLat(Math.max(0, y - buffer), z);
  const south = tileToLat(Math.min(2 ** z, y + 1 + buffer), z);
  return [west, south, east, north];
}

export function validTile(z: number, x: number, y: number): boolean {
  return (
    Number.isInteger(z) &&
    Number.isInteger(x) &&
    Number.isInteger(y) &&
    z >= 0 &&
    z <= MAX_ZOOM &&
    x >= 0 &&
    y >= 0 &&
    x < 2 ** z &&
    y < 2 ** z
  );
}

/** Twice the signed area of a ring (shoelace), in tile units. */
function doubleArea(ring: [number, number][]): number {
  let sum = 0;
  let previous = ring[ring.length - 1];
  for (const point of ring) {
    if (previous) sum += previous[0] * point[1] - point[0] * previous[1];
    previous = point;
  }
  return sum;
}

/**
 * geojson-vt rounds to the tile grid after simplifying, so a small island can come out as a
 * ring of zero area. The MVT spec has no reading for one (an exterior winds clockwise, a hole
 * the other way), and decoders that classify rings by winding take it for a hole of whatever
 * came before. It draws nothing, so it is left out, and a polygon left with no ring with it.
 */
function withoutFlatRings(tile: LegacyTile): LegacyFeature[] {
  const features: LegacyFeature[] = [];
  for (const feature of tile.features) {
    if (feature.type !== 3) {
      features.push(feature);
      continue;
    }
    const geometry = feature.geometry.filter((ring) => doubleArea(ring) !== 0);
    if (geometry.length > 0) features.push({ ...feature, geometry });
  }
  return features;
}

/** Encodes features as a Mapbox Vector Tile (layer `default`), or null when the tile is empty. */
export function encodeMvt(features: Feature[], z: number, x: number, y: number): Uint8Array | null {
  if (features.length === 0) return null;
  const collection: FeatureCollection = { type: 'FeatureCollection', features };
  const index = new GeoJSONVT(collection, {
    maxZoom: z,
    indexMaxZoom: 0,
    indexMaxPoints: 0,
    tolerance: 3,
    extent: 4096,
    buffer: 64,
  });
  const tile = index.getTile(z, x, y);
  const kept = tile ? withoutFlatRings(tile) : [];
  if (kept.length === 0) return null;
  return vtpbf.fromGeojsonVt({ default: { features: kept } }, { version: 2, extent: 4096 });
}

/** Tile counts per zoom from a query of rows per tile index, as CARTO's `fraction_dropped_per_zoom`. */
export function fractionDropped(maxPerTile: number[], totalRows: number): number[] {
  return maxPerTile.map((max) =>
    max <= TILE_FEATURE_LIMIT || totalRows === 0
      ? 0
      : Math.round((1 - TILE_FEATURE_LIMIT / max) * 1000) / 1000,
  );
}
