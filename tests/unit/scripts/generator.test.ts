import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HELP, main, TARGETS } from '../../../scripts/lib/generator/generate';
import { parseName } from '../../../scripts/lib/generator/names';

/** The generator runs into a copy of the files it changes (the whole check is .ci/generator-check). */
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'generator-'));
  for (const path of [...Object.values(TARGETS), '.prettierrc.json'])
    await cp(path, join(root, path), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--root', root], {
    log: (line) => out.push(line),
    error: (line) => err.push(line),
    root: '/nowhere',
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const read = (path: string) => readFile(join(root, path), 'utf8');

/** Every file under the copy, with its text: to check that a refusal changed nothing. */
async function snapshot() {
  return Promise.all(Object.values(TARGETS).map((path) => read(path)));
}

describe('names', () => {
  it.each(['my-places', 'myPlaces', 'MyPlaces', 'my_places', ' my-places '])(
    '%s gives every spelling of the same words',
    (name) => {
      expect(parseName(name, 'view')).toEqual({
        kebab: 'my-places',
        camel: 'myPlaces',
        pascal: 'MyPlaces',
        constant: 'MY_PLACES',
        title: 'My places',
      });
    },
  );

  it('keeps digits with their word, both ways', () => {
    expect(parseName('h3-cells', 'layer')).toMatchObject({ camel: 'h3Cells', kebab: 'h3-cells' });
    expect(parseName('h3Cells', 'layer')).toMatchObject({ camel: 'h3Cells', kebab: 'h3-cells' });
  });

  it.each([
    ['', /needs a name/],
    ['1st', /start with a letter/],
    ['my--places', /single - or _/],
    ['my places', /not a name/],
    ['café', /not a name/],
    ['../escape', /not a name/],
    ['stores-view', /ends with “view”.*use “stores”/],
    ['view', /name the view/],
    ['delete', /reserved word/],
    ['a'.repeat(41), /too long/],
  ])('refuses “%s” and says why', (name, message) => {
    expect(() => parseName(name, 'view')).toThrow(message);
  });
});

describe('npm run generate', () => {
  it('--help says how to use it', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out).toBe(HELP);
    expect(out).toMatch(/view <name>[\s\S]*source <name>[\s\S]*layer <name>[\s\S]*--dry-run/);
  });

  it.each([
    [[], /Say what to generate: view, source or layer/],
    [['widget', 'x'], /Cannot generate “widget”/],
    [['view'], /Name the view/],
    [['view', 'a', 'b'], /One name at a time/],
    [['view', 'a', '--type', 'table'], /--type: not an option of view/],
    [['view', 'a', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j with a clear message', async (args, message) => {
    const before = await snapshot();
    const { code, err } = await run(...args);
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('source: a descriptor at the marker and its test', async () => {
    const { code, out } = await run('source', 'airports', '--data', 'demo.airports');
    expect(code).toBe(0);
    expect(out).toContain('update         src/data/sources.ts');
    expect(out).toContain('create         tests/integration/sources/airportsSource.test.ts');
    const sources = await read(TARGETS.sources);
    expect(sources).toMatch(
      /export const AIRPORTS_SOURCE: SourceDescriptor = \{\n {2}id: 'airports',\n {2}type: 'table',\n {2}connection: DEMO_CONNECTION,\n {2}data: 'demo\.airports',\n\};\n\n\/\/ generator:sources/,
    );
    const test = await read('tests/integration/sources/airportsSource.test.ts');
    expect(test).toContain('toCartoSource(AIRPORTS_SOURCE');
  });

  it('source: a spatial-index type gets its cell column and an aggregation', async () => {
    expect((await run('source', 'cells', '--type', 'h3-table')).code).toBe(0);
    expect(await read(TARGETS.sources)).toContain(
      "type: 'h3-table',\n  connection: DEMO_CONNECTION,\n  data: 'demo.population_h3',\n  spatialDataColumn: 'h3',\n  aggregationExp: 'COUNT(*) AS count',",
    );
    expect((await run('source', 'x', '--type', 'raster')).err).toMatch(
      /--type raster: use one of table, query, h3-table, quadbin-table/,
    );
  });

  it('layer: a factory, its kind, its lazy loader and its test', async () => {
    const { code } = await run('layer', 'big-dots');
    expect(code).toBe(0);
    expect(await read('src/features/map/layers/bigDotsLayer.ts')).toContain(
      'export const bigDots: LayerFactory = (config, data, events) =>',
    );
    // After the kinds already there (generated ones too), right above the marker.
    expect(await read(TARGETS.layerKinds)).toMatch(
      /geojson: true;\n(?: {2}.+\n)*? {2}'big-dots': true;\n {2}\/\/ generator:layer-kinds/,
    );
    expect(await read(TARGETS.lazyLayers)).toContain(
      "  'big-dots': () => import('./bigDotsLayer').then((module) => module.bigDots),\n  // generator:layers",
    );
    expect(existsSync(join(root, 'tests/unit/map/bigDotsLayer.test.ts'))).toBe(true);
  });

  it('view: a component, its registry entry (route, tab, description) and its test', async () => {
    const { code } = await run(
      'view',
      'CityTour',
      '--label',
      'City tour',
      '--description',
      'Cities, one by one.',
    );
    expect(code).toBe(0);
    const view = await read('src/views/cityTour/CityTourView.tsx');
    expect(view).toContain('export function CityTourView()');
    expect(view).toContain('useViewLayers(STORES_SOURCE, LAYER)');
    expect(view).toContain("kind: 'vector'");
    const registry = await read(TARGETS.registry);
    expect(registry).toMatch(
      /path: '\/city-tour',\n {4}label: 'City tour',\n {4}description: 'Cities, one by one.',\n {4}Component: lazy\(\(\) =>\n {6}import\('\.\/cityTour\/CityTourView'\)\.then\(\(m\) => \(\{ default: m\.CityTourView \}\)\),\n {4}\),\n {2}\},\n {2}\/\/ generator:views/,
    );
    expect(await read('tests/integration/views/cityTourView.test.tsx')).toContain(
      "VIEWS.find((view) => view.path === '/city-tour')",
    );
  });

  it('view: draws a generated source with a generated layer, or a cell source as its cells', async () => {
    await run('source', 'cells', '--type', 'quadbin-table');
    await run('layer', 'dots');
    expect((await run('view', 'a', '--source', 'cells')).code).toBe(0);
    expect(await read('src/views/a/AView.tsx')).toContain("kind: 'quadbin'");
    expect((await run('view', 'b', '--source', 'cells', '--layer', 'dots')).code).toBe(0);
    expect(await read('src/views/b/BView.tsx')).toMatch(/CELLS_SOURCE[\s\S]*kind: 'dots'/);
  });

  it.each([
    [['view', 'stores'], /A view named stores exists already \(path '\/stores'/],
    [['view', 'shops', '--label', 'Stores'], /A view labelled “Stores” exists already/],
    [['view', 'x', '--source', 'nope'], /has no NOPE_SOURCE\. Sources: stores/],
    [
      ['view', 'x', '--layer', 'geojson'],
      /--layer geojson: use one of vector, quadbin, h3, cluster/,
    ],
    [['source', 'stores'], /A source named stores exists already \(STORES_SOURCE/],
    [['layer', 'vector'], /A layer kind named vector exists already/],
    [['layer', 'heatmap'], /A layer kind named heatmap exists already/],
  ])('refuses %j: the name exists, or what it needs does not', async (args, message) => {
    const before = await snapshot();
    const { code, err } = await run(...args);
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to generate the same thing twice, and changes nothing the second time', async () => {
    expect((await run('layer', 'dots')).code).toBe(0);
    const before = await snapshot();
    const again = await run('layer', 'dots');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/A layer kind named dots exists already/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file that lost its marker, and says where it goes', async () => {
    const registry = await read(TARGETS.registry);
    await writeFile(join(root, TARGETS.registry), registry.replace(/.*generator:views.*\n/, ''));
    const { code, err } = await run('view', 'x');
    expect(code).toBe(1);
    expect(err).toMatch(
      /src\/views\/registry\.ts should have one `\/\/ generator:views` line, where generated code goes; it has 0/,
    );
    expect(existsSync(join(root, 'src/views/x'))).toBe(false);
  });

  it('--dry-run lists what it would write and writes nothing', async () => {
    const before = await snapshot();
    const { code, out } = await run('view', 'x', '--dry-run');
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'would create   src/views/x/XView.tsx',
      'would update   src/views/registry.ts',
      'would create   tests/integration/views/xView.test.tsx',
    ]);
    expect(await snapshot()).toEqual(before);
    expect(existsSync(join(root, 'src/views/x'))).toBe(false);
  });
});
