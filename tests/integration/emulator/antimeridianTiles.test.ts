/**
 * Polygons that touch ±180° or the poles, checked in the tiles the emulator serves: decoded to
 * raw MVT geometry (not pixels), at z0-z2 over the whole world and at z4 on the antimeridian.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { vectorTableSource, type VectorTableSourceResponse } from '@carto/api-client';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { FeatureCollection, Position } from 'geojson';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';
import { clipToSquare, decodeTile, signedArea, type DecodedTile } from './mvtGeometry';

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

const require = createRequire(import.meta.url);

/** Countries (world-atlas names) and states (us-atlas) that touch ±180° or a pole. */
const COUNTRIES = [
  'Russia',
  'Fiji',
  'United States of America',
  'Antarctica',
  'Kiribati',
  'New Zealand',
];
const STATES = ['Alaska'];

const MAX_LAT = 85.0511287798066;
const mercatorX = (lon: number) => lon / 360 + 0.5;
function mercatorY(lat: number): number {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
}

/**
 * The area of a source (spherical, d3-convention) feature in Web Mercator world units (the
 * world is 1 × 1), computed straight from the atlas, not from the emulator's split geometry.
 * d3 rings carry their meaning in their winding (holes wind the other way), so the area is
 * the sum of the rings' signed areas, each ring unwrapped to continuous longitudes and, when
 * it goes round a pole (Antarctica), closed along the map's edge at that pole.
 */
function sourceArea(rings: Position[][]): number {
  let total = 0;
  for (const ring of rings) {
    const points: [number, number][] = [];
    let offset = 0;
    let previous: number | undefined;
    for (const [lon = 0, lat = 0] of ring) {
      if (previous !== undefined && lon + offset - previous > 180) offset -= 360;
      else if (previous !== undefined && previous - (lon + offset) > 180) offset += 360;
      previous = lon + offset;
      points.push([mercatorX(lon + offset), mercatorY(lat)]);
    }
    const first = points[0];
    const last = points[points.length - 1];
    if (first && last && Math.abs(last[0] - first[0]) > 0.5) {
      const edge = ring.reduce((s, p) => s + (p[1] ?? 0), 0) < 0 ? 1 : 0;
      points.push([last[0], edge], [first[0], edge]);
    }
    total += signedArea(points);
  }
  return total;
}

function atlasAreas(spec: string, object: string, names: string[]): Map<string, number> {
  const topology = JSON.parse(readFileSync(require.resolve(spec), 'utf8')) as Topology;
  const collection = feature(
    topology,
    topology.objects[object] as GeometryCollection,
  ) as FeatureCollection;
  const areas = new Map<string, number>();
  for (const f of collection.features) {
    const name = String(f.properties?.name ?? '');
    if (!names.includes(name)) continue;
    const g = f.geometry;
    const polygons =
      g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    areas.set(name, Math.abs(polygons.reduce((sum, rings) => sum + sourceArea(rings), 0)));
  }
  return areas;
}

async function source(tableName: string): Promise<VectorTableSourceResponse> {
  return vectorTableSource({
    accessToken: token,
    apiBaseUrl: EMULATOR_URL,
    connectionName: 'carto_dw',
    tableName,
    columns: ['name'],
  });
}

async function getTile(src: VectorTableSourceResponse, z: number, x: number, y: number) {
  const url = src.tiles[0]!.replace('{z}', String(z))
    .replace('{x}', String(x))
    .replace('{y}', String(y));
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status === 204) return { extent: 4096, features: [] };
  expect(response.status).toBe(200);
  return decodeTile(await response.arrayBuffer());
}

interface Problem {
  tile: string;
  name: string;
  problem: string;
}

/**
 * What must hold for every polygon in a tile: rings closed, a clockwise (positive) exterior
 * first, holes inside the exterior before them, and no segment that runs across more than
 * half the tile unless it lies along the tile's top or bottom edge (Antarctica's south edge).
 */
function geometryProblems(tile: DecodedTile, key: string): Problem[] {
  const { extent } = tile;
  const problems: Problem[] = [];
  for (const f of tile.features) {
    const name = String(f.properties.name);
    const report = (problem: string) => problems.push({ tile: key, name, problem });
    if (f.type !== 3) report(`type ${f.type}`);
    let exterior: [number, number, number, number] | null = null;
    f.rings.forEach((ring, r) => {
      if (!ring.closed) report(`ring ${r} not closed`);
      const area = signedArea(ring.points);
      const xs = ring.points.map((p) => p[0]);
      const ys = ring.points.map((p) => p[1]);
      const box: [number, number, number, number] = [
        Math.min(...xs),
        Math.min(...ys),
        Math.max(...xs),
        Math.max(...ys),
      ];
      if (r === 0 && area <= 0) report(`first ring winds as a hole (area ${area})`);
      if (area > 0) exterior = box;
      else if (
        !exterior ||
        box[0] < exterior[0] ||
        box[1] < exterior[1] ||
        box[2] > exterior[2] ||
        box[3] > exterior[3]
      )
        report(`ring ${r} winds as a hole outside its exterior`);
      ring.points.forEach((a, i) => {
        const b = ring.points[(i + 1) % ring.points.length]!;
        const onEdge = a[1] === b[1] && (a[1] <= 0 || a[1] >= extent);
        if (Math.abs(a[0] - b[0]) > extent / 2 && !onEdge)
          report(`segment ${a.join(',')} -> ${b.join(',')} spans ${Math.abs(a[0] - b[0])}`);
      });
    });
  }
  return problems;
}

/** Sum of each named feature's area inside the tiles (buffers cut off), in world units. */
function addAreas(areas: Map<string, number>, tile: DecodedTile, z: number): void {
  const scale = tile.extent ** 2 * 4 ** z;
  for (const f of tile.features) {
    const name = String(f.properties.name);
    const area = f.rings.reduce(
      (sum, ring) => sum + signedArea(clipToSquare(ring.points, 0, tile.extent)),
      0,
    );
    areas.set(name, (areas.get(name) ?? 0) + area / scale);
  }
}

const tileY = (lat: number, z: number) => Math.floor(mercatorY(lat) * 2 ** z);

describe.each([
  {
    table: 'demo.countries',
    names: COUNTRIES,
    expected: () => atlasAreas('world-atlas/countries-50m.json', 'countries', COUNTRIES),
    // Tiles at z4 on both sides of ±180: Chukotka, the Aleutians, Fiji, the Ross Sea.
    z4: [66, 52, -17, -78].flatMap((lat) => [0, 15].map((x) => [x, tileY(lat, 4)] as const)),
  },
  {
    table: 'demo.us_states',
    names: STATES,
    expected: () => atlasAreas('us-atlas/states-10m.json', 'states', STATES),
    z4: [0, 15].map((x) => [x, tileY(52, 4)] as const),
  },
])('$table tiles across the antimeridian and the poles', ({ table, names, expected, z4 }) => {
  it.each([0, 1, 2])(
    'z%i: no stray segments, closed clockwise rings, every feature area kept',
    async (z) => {
      const src = await source(table);
      const areas = new Map<string, number>();
      const problems: Problem[] = [];
      const n = 2 ** z;
      for (let x = 0; x < n; x++) {
        for (let y = 0; y < n; y++) {
          const tile = await getTile(src, z, x, y);
          problems.push(...geometryProblems(tile, `${z}/${x}/${y}`));
          addAreas(areas, tile, z);
        }
      }
      expect(problems).toEqual([]);
      const want = expected();
      expect([...want.keys()].sort()).toEqual(
        names.filter((name) => name !== 'Kiribati' || want.has(name)).sort(),
      );
      // ±2%, and at least one tile pixel: Kiribati's atolls are 10 px² in all at z0, where
      // rounding to the tile grid alone moves the area by more than 2%.
      const pixel = 1 / (4096 * 2 ** z) ** 2;
      for (const [name, area] of want) {
        const got = areas.get(name) ?? 0;
        const slack = Math.max(0.02 * area, pixel);
        expect(Math.abs(got - area), `${name} z${z}: ${got} vs ${area}`).toBeLessThanOrEqual(slack);
      }
    },
    60_000,
  );

  it('z4 tiles on either side of ±180 have clean geometry', async () => {
    const src = await source(table);
    const problems: Problem[] = [];
    let features = 0;
    for (const [x, y] of z4) {
      const tile = await getTile(src, 4, x, y);
      features += tile.features.filter((f) => names.includes(String(f.properties.name))).length;
      problems.push(...geometryProblems(tile, `4/${x}/${y}`));
    }
    expect(problems).toEqual([]);
    expect(features).toBeGreaterThanOrEqual(z4.length / 2);
  });
});

describe('table bounds in the resources listing', () => {
  it('cross the antimeridian (west > east) for us_states, and cover the world for countries', async () => {
    const response = await fetch(`${EMULATOR_URL}/v3/connections/carto_dw/resources/demo`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const { children } = (await response.json()) as {
      children: { name: string; bounds: [number, number, number, number] | null }[];
    };
    const bounds = (name: string) => children.find((c) => c.name === name)?.bounds;
    // Guam (144.6° E) and the Aleutians eastwards to Puerto Rico: 151° wide, not 359°.
    const states = bounds('us_states');
    expect(states?.[0]).toBeCloseTo(144.6, 1);
    expect(states?.[2]).toBeCloseTo(-64.6, 1);
    expect(bounds('countries')).toEqual([-180, -90, 180, expect.closeTo(83.6, 1)]);
    const stores = bounds('retail_stores');
    expect(stores?.[0]).toBeLessThan(stores?.[2] ?? -Infinity);
  });
});
