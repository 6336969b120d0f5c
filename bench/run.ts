/**
 * `npm run bench`: the emulator's speed, measured (not asserted). Everything runs on this
 * machine: an HTTP server on 127.0.0.1 and bounded request loops.
 *   - start time (config, keys, DuckDB load of the sample data)
 *   - tilejson latency; tile latency p50/p95 at zooms 0, 4, 8, 12 (populated_places)
 *   - widget model latency on 1M generated rows
 *   - tiles per second with 8 concurrent clients
 *   - quadbin tile latency p50/p95 at zooms 0, 3, 6 (population_quadbin, aggregated)
 *   - H3 tile latency p50/p95 at resolutions 0, 1 (population_h3, aggregated), and a widget
 *     model on the H3 and quadbin tables, alone and with a viewport's spatial filter
 * `npm run bench -- map` and `npm run bench -- widgets` drive the built app in Chromium instead
 * (bench/map.ts, bench/widgets.ts); `npm run bench -- load` puts simulated users on the
 * emulator (bench/load.ts); `npm run bench -- loops` times the emulator's start, `npm test` and
 * `npm run build` as developers run them (bench/loops.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { startEmulatorServer } from '../emulator/server';
import { createEmulator } from '../emulator/createEmulator';
import { loadEmulatorConfig } from '../emulator/config/loadEmulatorConfig';
import { DEMO_M2M } from '../emulator/config/demoLogin';
import { bigIntToHex, tileToCell } from 'quadbin';
import { latLngToCell } from 'h3-js';
import { seededRandom, type SampleTable } from '../emulator/data/sampleData';

// `npm run bench -- map`: the map in Chromium instead (bench/map.ts).
if (process.argv.includes('map')) {
  await import('./map');
  process.exit(0);
}
// `npm run bench -- load`: simulated users against the emulator over HTTP (bench/load.ts).
if (process.argv.includes('load')) {
  await import('./load');
  process.exit(0);
}
// `npm run bench -- loops`: the developer's loops (emulator start, npm test, build; bench/loops.ts).
if (process.argv.includes('loops')) {
  await import('./loops');
  process.exit(0);
}
// `npm run bench -- widgets`: the Stores widgets following pans, in Chromium (bench/widgets.ts).
if (process.argv.includes('widgets')) {
  await import('./widgets');
  process.exit(0);
}

const results: Record<string, unknown> = {};
const quick = process.argv.includes('--quick');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    Math.round(
      (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 10,
    ) / 10
  );
}

async function m2mToken(
  base: string,
  fetcher: (r: Request) => Promise<Response> = (r) => fetch(r),
): Promise<string> {
  const response = await fetcher(
    new Request(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEMO_M2M.clientId,
        client_secret: DEMO_M2M.clientSecret,
      }),
    }),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Tile x/y covering a lon/lat at a zoom. */
function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return [
    Math.floor(((lon + 180) / 360) * n),
    Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  ];
}

/** p50/p95 latency and mean size of distinct tiles around real places, per zoom (cold). */
async function tileLatency(options: {
  zooms: number[];
  samples: (z: number) => number;
  seed: number;
  headers: Record<string, string>;
  url: (z: number, x: number, y: number) => string;
}) {
  const random = seededRandom(options.seed);
  const latency: Record<string, { p50: number; p95: number; avgKB: number }> = {};
  for (const z of options.zooms) {
    const times: number[] = [];
    let bytes = 0;
    const seen = new Set<string>();
    for (let i = 0; seen.size < options.samples(z) && i < 500; i++) {
      const [x, y] = tileAt(-125 + random() * 170, -35 + random() * 90, z);
      const url = options.url(z, x, y);
      if (seen.has(url)) continue;
      seen.add(url);
      const s = performance.now();
      const response = await fetch(url, { headers: options.headers });
      bytes += (await response.arrayBuffer()).byteLength;
      times.push(performance.now() - s);
    }
    latency[`z${z}`] = {
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      avgKB: Math.round(bytes / times.length / 102.4) / 10,
    };
  }
  return latency;
}

async function tilesAndStart() {
  const started = performance.now();
  const server = await startEmulatorServer({ port: 0 });
  results.startMs = Math.round(performance.now() - started);
  results.dataLoadMs = server.emulator.database?.loadMs;
  const base = server.emulator.issuer;
  const headers = { Authorization: `Bearer ${await m2mToken(base)}`, 'Accept-Encoding': 'gzip' };

  const instantiate = await fetch(
    `${base}/v3/maps/carto_dw/table?name=demo.populated_places&spatialDataType=geo`,
    { headers },
  );
  const { tilejson } = (await instantiate.json()) as { tilejson: { url: string[] } };
  let t = performance.now();
  const tj = (await (await fetch(tilejson.url[0] ?? '', { headers })).json()) as {
    tiles: string[];
  };
  results.tilejsonColdMs = Math.round(performance.now() - t);
  t = performance.now();
  await (await fetch(tilejson.url[0] ?? '', { headers })).json();
  results.tilejsonWarmMs = Math.round(performance.now() - t);

  // Distinct tiles around real places (cold: each tile is generated, none cached).
  results.tileLatencyMs = await tileLatency({
    zooms: [0, 4, 8, 12],
    samples: (z) => (quick ? 8 : z === 0 ? 1 : 30),
    seed: 7,
    headers,
    url: (z, x, y) =>
      (tj.tiles[0] ?? '')
        .replace('{z}', String(z))
        .replace('{x}', String(x))
        .replace('{y}', String(y)),
  });

  // 8 concurrent clients, each fetching distinct zoom-10 tiles over Europe and the US for 5 s.
  const deadline = performance.now() + (quick ? 1500 : 5000);
  let count = 0;
  const clients = Array.from({ length: 8 }, async (_, c) => {
    const rnd = seededRandom(100 + c);
    while (performance.now() < deadline && count < 20_000) {
      const [x, y] = tileAt(-120 + rnd() * 150, 25 + rnd() * 30, 10);
      const url = (tj.tiles[0] ?? '')
        .replace('{z}', '10')
        .replace('{x}', String(x))
        .replace('{y}', String(y));
      await (await fetch(url, { headers })).arrayBuffer();
      count++;
    }
  });
  const concurrentStart = performance.now();
  await Promise.all(clients);
  results.tilesPerSecond8Clients = Math.round(
    (count / (performance.now() - concurrentStart)) * 1000,
  );
  await quadbinTiles(base, headers);
  await h3Tiles(base, headers);
  await spatialIndexModels(base, headers);
  await server.close();
}

/** Quadbin tiles of population_quadbin (94,340 cells), aggregated per request (cold). */
async function quadbinTiles(base: string, headers: Record<string, string>) {
  const params = new URLSearchParams({
    name: 'demo.population_quadbin',
    spatialDataType: 'quadbin',
    spatialDataColumn: 'quadbin',
    aggregationExp: 'SUM(population) AS population, SUM(places) AS places',
  });
  const { tiles } = await spatialSource(`${base}/v3/maps/carto_dw/table?${params}`, headers);
  results.quadbinTileLatencyMs = await quadbinTileLatency(tiles, [0, 3, 6], 11, headers);

  // Dynamic tiling, as a cluster layer asks: the 135,233 points turned into cells by the query
  // (QUADBIN_FROMGEOGPOINT), stored once, then counted per tile.
  const dynamic = new URLSearchParams({
    q: 'SELECT QUADBIN_FROMGEOGPOINT(geom, 18) AS quadbin FROM demo.populated_places',
    spatialDataType: 'quadbin',
    spatialDataColumn: 'quadbin',
    aggregationExp: 'COUNT(*) AS points_count',
  });
  const started = performance.now();
  const clusters = await spatialSource(`${base}/v3/maps/carto_dw/query?${dynamic}`, headers);
  results.clusterSourceInstantiateMs = Math.round(performance.now() - started);
  results.clusterTileLatencyMs = await quadbinTileLatency(clusters.tiles, [0, 4, 8], 17, headers);
}

/** A spatial-index source's TileJSON, from its Maps API instantiation URL. */
async function spatialSource(url: string, headers: Record<string, string>) {
  const instantiate = await fetch(url, { headers });
  const { tilejson } = (await instantiate.json()) as { tilejson: { url: string[] } };
  return (await (await fetch(tilejson.url[0] ?? '', { headers })).json()) as { tiles: string[] };
}

const quadbinTileLatency = (
  tiles: string[],
  zooms: number[],
  seed: number,
  headers: Record<string, string>,
) =>
  tileLatency({
    zooms,
    samples: (z) => (quick ? 4 : z === 0 ? 1 : 20),
    seed,
    headers,
    url: (z, x, y) => (tiles[0] ?? '').replace('{i}', bigIntToHex(tileToCell({ z, x, y }))),
  });

/** H3 tiles of population_h3 (58,737 cells at resolution 5), aggregated per request (cold). */
async function h3Tiles(base: string, headers: Record<string, string>) {
  const params = new URLSearchParams({
    name: 'demo.population_h3',
    spatialDataType: 'h3',
    spatialDataColumn: 'h3',
    aggregationExp: 'SUM(population) AS population, SUM(places) AS places',
  });
  const tj = await spatialSource(`${base}/v3/maps/carto_dw/table?${params}`, headers);
  const random = seededRandom(13);
  const latency: Record<string, { p50: number; p95: number; avgKB: number }> = {};
  for (const resolution of [0, 1]) {
    const times: number[] = [];
    let bytes = 0;
    const seen = new Set<string>();
    for (let i = 0; seen.size < (quick ? 4 : 20) && i < 500; i++) {
      const cell = latLngToCell(-35 + random() * 90, -125 + random() * 170, resolution);
      if (seen.has(cell)) continue;
      seen.add(cell);
      const started = performance.now();
      const response = await fetch((tj.tiles[0] ?? '').replace('{i}', cell), { headers });
      bytes += (await response.arrayBuffer()).byteLength;
      times.push(performance.now() - started);
    }
    latency[`res${resolution}`] = {
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      avgKB: Math.round(bytes / times.length / 102.4) / 10,
    };
  }
  results.h3TileLatencyMs = latency;
}

/** A formula widget on the H3 and quadbin tables, alone and with a Europe-sized viewport. */
async function spatialIndexModels(base: string, headers: Record<string, string>) {
  const viewport = {
    type: 'Polygon',
    coordinates: [
      [
        [-10, 35],
        [30, 35],
        [30, 60],
        [-10, 60],
        [-10, 35],
      ],
    ],
  };
  const latency: Record<string, { p50: number; p95: number }> = {};
  for (const index of ['h3', 'quadbin'] as const) {
    for (const filtered of [false, true]) {
      const search = new URLSearchParams({
        type: 'table',
        source: `demo.population_${index}`,
        spatialDataType: index,
        spatialDataColumn: index,
        params: JSON.stringify({ column: 'population', operation: 'sum' }),
        ...(filtered ? { spatialFilters: JSON.stringify({ [index]: viewport }) } : {}),
      });
      const times: number[] = [];
      for (let i = 0; i < (quick ? 3 : 10); i++) {
        const started = performance.now();
        const response = await fetch(`${base}/v3/sql/carto_dw/model/formula?${search}`, {
          headers,
        });
        if (!response.ok) throw new Error(`${index} formula: ${response.status}`);
        await response.json();
        times.push(performance.now() - started);
      }
      latency[`${index}${filtered ? '+viewport' : ''}`] = {
        p50: percentile(times, 50),
        p95: percentile(times, 95),
      };
    }
  }
  results.spatialIndexFormulaLatencyMs = latency;
}

/** One million rows of points with a category, a value and a date. */
function millionRows(): SampleTable {
  const random = seededRandom(42);
  const categories = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
  const rows: SampleTable['rows'] = [];
  const n = quick ? 200_000 : 1_000_000;
  for (let i = 0; i < n; i++) {
    const lon = -125 + random() * 60;
    const lat = 25 + random() * 24;
    rows.push({
      values: [
        i,
        categories[Math.floor(random() * categories.length)] ?? 'A',
        Math.round(random() * 10_000),
        new Date(Date.UTC(2015, 0, 1) + Math.floor(random() * 3650) * 86_400_000)
          .toISOString()
          .slice(0, 10),
      ],
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
  }
  return {
    schema: 'bench',
    name: 'points_1m',
    description: 'Generated benchmark rows',
    spatial: 'geo',
    columns: [
      { name: 'id', type: 'BIGINT' },
      { name: 'category', type: 'VARCHAR' },
      { name: 'value', type: 'BIGINT' },
      { name: 'day', type: 'DATE' },
    ],
    rows,
  };
}

async function widgetModels() {
  const t = performance.now();
  const emulator = await createEmulator(await loadEmulatorConfig(), {
    issuer: 'http://bench.local',
    data: { sample: false, extraTables: [millionRows()] },
  });
  results.millionRowLoadMs = Math.round(performance.now() - t);
  const fetcher = (r: Request) => emulator.fetch(r);
  const headers = { Authorization: `Bearer ${await m2mToken('http://bench.local', fetcher)}` };
  const models: [string, Record<string, unknown>][] = [
    ['formula', { column: '*', operation: 'count' }],
    ['category', { column: 'category', operation: 'sum', operationColumn: 'value' }],
    ['histogram', { column: 'value', operation: 'count', ticks: [1000, 2500, 5000, 7500] }],
    ['range', { column: 'value' }],
    ['timeseries', { column: 'day', stepSize: 'month', operation: 'count' }],
    ['table', { column: ['id', 'value'], sortBy: 'value', sortDirection: 'desc', limit: 10 }],
  ];
  const viewport = JSON.stringify({
    geom: {
      type: 'Polygon',
      coordinates: [
        [
          [-110, 30],
          [-90, 30],
          [-90, 45],
          [-110, 45],
          [-110, 30],
        ],
      ],
    },
  });
  const latency: Record<string, { p50: number; p95: number }> = {};
  for (const [model, params] of models) {
    for (const [label, extra] of [
      [model, ''],
      [`${model}+viewport`, `&spatialFilters=${encodeURIComponent(viewport)}`],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < (quick ? 3 : 10); i++) {
        const url = `http://bench.local/v3/sql/carto_dw/model/${model}?type=table&source=bench.points_1m&params=${encodeURIComponent(JSON.stringify(params))}${extra}`;
        const s = performance.now();
        const response = await emulator.fetch(new Request(url, { headers }));
        if (!response.ok) throw new Error(`${model}: ${response.status} ${await response.text()}`);
        await response.json();
        times.push(performance.now() - s);
      }
      latency[label] = { p50: percentile(times, 50), p95: percentile(times, 95) };
    }
  }
  results.widgetModelLatencyMs1M = latency;
}

await tilesAndStart();
await widgetModels();
mkdirSync('artifacts', { recursive: true });
writeFileSync('artifacts/bench.json', JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2));
