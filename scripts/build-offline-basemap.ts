/**
 * Builds the offline basemap that ships in public/basemap/: world countries (world-atlas,
 * Natural Earth 1:50m) and US states (us-atlas) as GeoJSON, plus a maplibre style that draws
 * them, light and dark. No glyphs or sprites, so it needs nothing from the network.
 *
 * Run by `npm start` and `npm run build`; deterministic, so re-running changes nothing. It is
 * skipped when its inputs (this script, the style, the antimeridian cut, the atlases' versions)
 * hash to the stamp left by the last build and every output is there (issue 18).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { offlineStyle, offlineStyleFile } from './offlineBasemapStyle';
import { splitAtAntimeridian } from '../protocol/antimeridian';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public', 'basemap');

async function readTopology(spec: string): Promise<Topology> {
  return JSON.parse(await readFile(require.resolve(spec), 'utf8')) as Topology;
}

/** 4 decimals (~11 m) is finer than the 1:50m source and halves the file size. */
function roundPositions(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e4) / 1e4;
  if (Array.isArray(value)) return value.map(roundPositions);
  return value;
}

function roundGeometry<G extends Geometry>(geometry: G): G {
  if (geometry.type === 'GeometryCollection') return geometry;
  // Cut at ±180 (Fiji, Russia) and closed along the pole (Antarctica), as the emulator's tiles.
  const split = splitAtAntimeridian(geometry) as G & { coordinates: unknown };
  return {
    ...split,
    coordinates: roundPositions(split.coordinates) as Position[],
  };
}

function toCollection(
  topology: Topology,
  objectName: string,
  properties: (f: Feature) => Record<string, string>,
): FeatureCollection {
  const object = topology.objects[objectName] as GeometryCollection;
  const collection = feature(topology, object) as FeatureCollection;
  return {
    type: 'FeatureCollection',
    features: collection.features.map((f) => ({
      type: 'Feature',
      properties: properties(f),
      geometry: roundGeometry(f.geometry),
    })),
  };
}

function nameOf(f: Feature): Record<string, string> {
  const name = (f.properties as { name?: unknown } | null)?.name;
  return { name: typeof name === 'string' ? name : '' };
}

const OUTPUTS = ['countries.geojson', 'borders.geojson', 'states.geojson', 'style.json'];
// Outside public/ (which Vite copies into the build as it is).
const STAMP = join(root, '.cache', 'offline-basemap.sha256');

/** A hash of everything the outputs are made from: a different one means a rebuild. */
function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of [
    'scripts/build-offline-basemap.ts',
    'scripts/offlineBasemapStyle.ts',
    'protocol/antimeridian.ts',
  ]) {
    hash.update(file).update(readFileSync(join(root, file)));
  }
  for (const pkg of ['world-atlas', 'us-atlas', 'topojson-client']) {
    const { version } = JSON.parse(
      readFileSync(require.resolve(`${pkg}/package.json`), 'utf8'),
    ) as {
      version: string;
    };
    hash.update(`${pkg}@${version}`);
  }
  return hash.digest('hex');
}

function upToDate(hash: string): boolean {
  if (!existsSync(STAMP) || readFileSync(STAMP, 'utf8').trim() !== hash) return false;
  return OUTPUTS.every((name) => existsSync(join(outDir, name)));
}

async function main() {
  const started = performance.now();
  const hash = inputsHash();
  if (upToDate(hash)) {
    console.log('offline basemap: up to date in public/basemap/ (inputs unchanged)');
    return;
  }
  const world = await readTopology('world-atlas/countries-50m.json');
  const us = await readTopology('us-atlas/states-10m.json');

  const countries = toCollection(world, 'countries', nameOf);
  // Shared borders only (a mesh), so coastlines are not outlined twice.
  const borders: FeatureCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: {},
        geometry: roundGeometry(
          mesh(world, world.objects.countries as GeometryCollection, (a, b) => a !== b),
        ),
      },
    ],
  };
  const states = toCollection(us, 'states', nameOf);

  await mkdir(outDir, { recursive: true });
  const files: [string, unknown][] = [
    ['countries.geojson', countries],
    ['borders.geojson', borders],
    ['states.geojson', states],
    [offlineStyleFile('light'), offlineStyle('light')],
    [offlineStyleFile('dark'), offlineStyle('dark')],
  ];
  let bytes = 0;
  for (const [name, data] of files) {
    const text = JSON.stringify(data);
    bytes += text.length;
    await writeFile(join(outDir, name), text);
  }
  await mkdir(dirname(STAMP), { recursive: true });
  await writeFile(STAMP, `${hash}\n`);
  const ms = Math.round(performance.now() - started);
  console.log(
    `offline basemap: ${countries.features.length} countries, ${states.features.length} states, ` +
      `${(bytes / 1024).toFixed(0)} KiB in public/basemap/ (${ms} ms)`,
  );
}

await main();
