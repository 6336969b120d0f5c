/**
 * `npm run generate -- <view|source|layer> <name>`: plans every file it writes or changes,
 * checks them all, then writes them (or lists them with --dry-run). Existing files are changed
 * only at `// generator:<what>` marker lines, and a name that exists already is refused.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { GeneratorError, parseName, type Names } from './names';
import {
  SOURCE_TYPES,
  layerFactory,
  layerTest,
  sourceConstant,
  sourceDescriptor,
  sourceTest,
  viewComponent,
  viewEntry,
  viewTest,
  type GeneratedSourceType,
  type SourceOptions,
  type ViewOptions,
} from './templates';

const KINDS = ['view', 'source', 'layer'] as const;
type Kind = (typeof KINDS)[number];

/** The files the generator changes, at their markers. */
export const TARGETS = {
  registry: 'src/views/registry.ts',
  sources: 'src/data/sources.ts',
  layerKinds: 'src/features/map/mapSlice.ts',
  lazyLayers: 'src/features/map/layers/lazyLayers.ts',
} as const;

interface FileChange {
  /** Relative to the project root, with `/`. */
  path: string;
  action: 'create' | 'update';
  content: string;
}

export const HELP = `Usage: npm run generate -- <view|source|layer> <name> [options]

  view <name>     a side-panel view: src/views/<name>/<Name>View.tsx, its route, tab and
                  description in src/views/registry.ts, and an integration test
  source <name>   a source descriptor <NAME>_SOURCE in src/data/sources.ts, and a test that
                  CARTO (the emulator) serves it
  layer <name>    a layer kind: src/features/map/layers/<name>Layer.ts, loaded on first use
                  (lazyLayers.ts), in LayerKind (mapSlice.ts), and a unit test

Names: kebab, camel or Pascal case (my-places, myPlaces, MyPlaces); letters, digits, - or _.

Options
  --dry-run              list the files it would write, and write nothing
  --root <dir>           the project to generate into (default: this one)
  -h, --help             this text
 view
  --source <name>        the source it draws, from src/data/sources.ts (default: stores)
  --layer <kind>         the layer kind it draws it with (default: from the source's type)
  --label <text>         the tab's label (default: from the name)
  --description <text>   the one line under the tabs
 source
  --type <type>          ${SOURCE_TYPES.join(' | ')} (default: table)
  --data <table or SQL>  default: a sample table of the emulator for the type
  --connection <name>    default: carto_dw (the emulator's, and CARTO Data Warehouse)

Examples
  npm run generate -- source airports --data demo.populated_places
  npm run generate -- layer big-dots
  npm run generate -- view airports --source airports --layer big-dots --dry-run
`;

const DEFAULT_DATA: Record<GeneratedSourceType, string> = {
  table: 'demo.populated_places',
  query: 'SELECT * FROM demo.populated_places',
  'h3-table': 'demo.population_h3',
  'quadbin-table': 'demo.population_quadbin',
};

/** Options that only some kinds take. */
const KIND_OPTIONS: Record<Kind, readonly string[]> = {
  view: ['source', 'layer', 'label', 'description'],
  source: ['type', 'data', 'connection'],
  layer: [],
};

interface Project {
  root: string;
  read: (path: string) => Promise<string>;
  exists: (path: string) => boolean;
}

function project(root: string): Project {
  return {
    root,
    read: async (path) => {
      try {
        return await readFile(join(root, path), 'utf8');
      } catch {
        throw new GeneratorError(`${path} is missing under ${root}: is this the project's root?`);
      }
    },
    exists: (path) => existsSync(join(root, path)),
  };
}

/** Inserts `text` (whole lines) before the one marker line `// generator:<marker>`. */
function insertAtMarker(source: string, path: string, marker: string, text: string): string {
  const lines = source.split('\n');
  const at = lines.flatMap((line, index) =>
    line.trim().startsWith(`// generator:${marker}`) ? [index] : [],
  );
  if (at.length !== 1)
    throw new GeneratorError(
      `${path} should have one \`// generator:${marker}\` line, where generated code goes; it has ${at.length}. Put it back (docs/generator.md).`,
    );
  const [index = 0] = at;
  return [
    ...lines.slice(0, index),
    ...text.replace(/\n$/, '').split('\n'),
    ...lines.slice(index),
  ].join('\n');
}

function refuseIfExists(files: Project, paths: string[], what: string) {
  for (const path of paths)
    if (files.exists(path)) throw new GeneratorError(`${what} exists already: ${path}.`);
}

/** The layer kinds LayerKind lists (mapSlice.ts), in order. */
async function layerKinds(files: Project): Promise<string[]> {
  const text = await files.read(TARGETS.layerKinds);
  const list = /interface LayerKinds \{([^}]*)\}/.exec(text)?.[1];
  if (list === undefined)
    throw new GeneratorError(`${TARGETS.layerKinds} has no LayerKinds list (docs/generator.md).`);
  return [...list.matchAll(/^\s*'?([\w-]+)'?:/gm)].flatMap((match) => (match[1] ? [match[1]] : []));
}

/** The exported source descriptors of src/data/sources.ts: constant → type. */
async function sourceTypes(files: Project): Promise<Map<string, string>> {
  const text = await files.read(TARGETS.sources);
  const found = new Map<string, string>();
  for (const match of text.matchAll(
    /export const (\w+_SOURCE): SourceDescriptor = \{[^}]*?type: '([^']+)'/g,
  ))
    if (match[1] && match[2]) found.set(match[1], match[2]);
  return found;
}

const isIdentifier = (key: string) => /^[A-Za-z_$][\w$]*$/.test(key);

type Options = Record<string, string | undefined>;

async function planSource(files: Project, names: Names, options: Options): Promise<FileChange[]> {
  const type = options.type ?? 'table';
  if (!(SOURCE_TYPES as readonly string[]).includes(type))
    throw new GeneratorError(`--type ${type}: use one of ${SOURCE_TYPES.join(', ')}.`);
  const sourceType = type as GeneratedSourceType;
  const test = `tests/integration/sources/${names.camel}Source.test.ts`;
  const text = await files.read(TARGETS.sources);
  const constant = sourceConstant(names);
  if (new RegExp(`export const ${constant}\\b`).test(text) || text.includes(`id: '${names.kebab}'`))
    throw new GeneratorError(
      `A source named ${names.kebab} exists already (${constant} in ${TARGETS.sources}).`,
    );
  refuseIfExists(files, [test], `The ${names.kebab} source's test`);
  const sourceOptions: SourceOptions = {
    type: sourceType,
    data: options.data ?? DEFAULT_DATA[sourceType],
    connection: options.connection ?? 'carto_dw',
  };
  if (sourceOptions.data.trim() === '') throw new GeneratorError('--data cannot be empty.');
  if (!/^[\w.-]+$/.test(sourceOptions.connection))
    throw new GeneratorError(`--connection ${sourceOptions.connection}: not a connection name.`);
  return [
    {
      path: TARGETS.sources,
      action: 'update',
      content: insertAtMarker(
        text,
        TARGETS.sources,
        'sources',
        sourceDescriptor(names, sourceOptions),
      ),
    },
    { path: test, action: 'create', content: sourceTest(names) },
  ];
}

async function planLayer(files: Project, names: Names): Promise<FileChange[]> {
  const factory = `src/features/map/layers/${names.camel}Layer.ts`;
  const test = `tests/unit/map/${names.camel}Layer.test.ts`;
  const kinds = await layerKinds(files);
  if (kinds.includes(names.kebab) || names.kebab === 'heatmap')
    throw new GeneratorError(
      `A layer kind named ${names.kebab} exists already (LayerKinds in ${TARGETS.layerKinds}).`,
    );
  refuseIfExists(files, [factory, test], `The ${names.kebab} layer kind's code`);
  const kindsText = await files.read(TARGETS.layerKinds);
  const lazyText = await files.read(TARGETS.lazyLayers);
  const key = isIdentifier(names.kebab) ? names.kebab : `'${names.kebab}'`;
  return [
    { path: factory, action: 'create', content: layerFactory(names) },
    {
      path: TARGETS.layerKinds,
      action: 'update',
      content: insertAtMarker(kindsText, TARGETS.layerKinds, 'layer-kinds', `  ${key}: true;\n`),
    },
    {
      path: TARGETS.lazyLayers,
      action: 'update',
      content: insertAtMarker(
        lazyText,
        TARGETS.lazyLayers,
        'layers',
        `  ${key}: () => import('./${names.camel}Layer').then((module) => module.${names.camel}),\n`,
      ),
    },
    { path: test, action: 'create', content: layerTest(names) },
  ];
}

/** The layer kind that draws a source of this type when none is asked for. */
const defaultLayerFor = (type: string | undefined) =>
  type?.startsWith('h3') ? 'h3' : type?.startsWith('quadbin') ? 'quadbin' : 'vector';

async function planView(files: Project, names: Names, options: Options): Promise<FileChange[]> {
  const folder = `src/views/${names.camel}`;
  const component = `${folder}/${names.pascal}View.tsx`;
  const test = `tests/integration/views/${names.camel}View.test.tsx`;
  const registry = await files.read(TARGETS.registry);
  if (registry.includes(`path: '/${names.kebab}'`))
    throw new GeneratorError(
      `A view named ${names.kebab} exists already (path '/${names.kebab}' in ${TARGETS.registry}).`,
    );
  refuseIfExists(files, [folder, test], `The ${names.kebab} view's code`);

  const sources = await sourceTypes(files);
  const source = sourceConstant(parseName(options.source ?? 'stores', 'source'));
  if (!sources.has(source))
    throw new GeneratorError(
      `--source ${options.source ?? 'stores'}: ${TARGETS.sources} has no ${source}. Sources: ${[
        ...sources.keys(),
      ]
        .map((name) =>
          name
            .replace(/_SOURCE$/, '')
            .toLowerCase()
            .replace(/_/g, '-'),
        )
        .join(', ')} (or make one: npm run generate -- source <name>).`,
    );
  const drawable = (await layerKinds(files)).filter((kind) => kind !== 'geojson');
  const layer = options.layer ?? defaultLayerFor(sources.get(source));
  if (!drawable.includes(layer))
    throw new GeneratorError(
      `--layer ${layer}: use one of ${drawable.join(', ')} (or make one: npm run generate -- layer <name>).`,
    );
  const label = (options.label ?? names.title).trim();
  if (label === '' || label.length > 30)
    throw new GeneratorError('--label: a tab label of 1 to 30 characters.');
  const labels = [...registry.matchAll(/label: '((?:[^'\\]|\\.)*)'/g)].map((m) => m[1] ?? '');
  if (labels.some((taken) => taken.toLowerCase() === label.toLowerCase()))
    throw new GeneratorError(`A view labelled “${label}” exists already: choose another --label.`);
  const description = (
    options.description ?? `${label} on the map. Say what this view is for in one line.`
  ).trim();
  if (description === '' || description.includes('\n'))
    throw new GeneratorError('--description: one line of text.');
  const viewOptions: ViewOptions = { label, description, source, layer };
  return [
    { path: component, action: 'create', content: viewComponent(names, viewOptions) },
    {
      path: TARGETS.registry,
      action: 'update',
      content: insertAtMarker(registry, TARGETS.registry, 'views', viewEntry(names, viewOptions)),
    },
    { path: test, action: 'create', content: viewTest(names, viewOptions) },
  ];
}

/** Every file a request writes or changes, formatted as the project formats its code. */
async function planGeneration(
  root: string,
  kind: Kind,
  name: string,
  options: Options = {},
): Promise<FileChange[]> {
  const files = project(root);
  const names = parseName(name, kind);
  const changes =
    kind === 'view'
      ? await planView(files, names, options)
      : kind === 'source'
        ? await planSource(files, names, options)
        : await planLayer(files, names);
  return Promise.all(
    changes.map(async (change) => {
      const filepath = join(root, change.path);
      const config = await prettier.resolveConfig(filepath);
      return { ...change, content: await prettier.format(change.content, { ...config, filepath }) };
    }),
  );
}

async function writeChanges(root: string, changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) {
    const path = join(root, change.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, change.content, change.action === 'create' ? { flag: 'wx' } : {});
  }
}

interface Io {
  log: (line: string) => void;
  error: (line: string) => void;
  /** The project's root when --root is not given. */
  root: string;
}

/** The command line: 0 when done, 1 when refused (with the reason on `error`). */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        'dry-run': { type: 'boolean' },
        root: { type: 'string' },
        source: { type: 'string' },
        layer: { type: 'string' },
        label: { type: 'string' },
        description: { type: 'string' },
        type: { type: 'string' },
        data: { type: 'string' },
        connection: { type: 'string' },
      },
    });
    if (values.help) {
      io.log(HELP);
      return 0;
    }
    const [kind, name, ...extra] = positionals;
    if (kind === undefined || !(KINDS as readonly string[]).includes(kind))
      throw new GeneratorError(
        `${kind === undefined ? 'Say what to generate' : `Cannot generate “${kind}”`}: view, source or layer.\n\n${HELP}`,
      );
    const what = kind as Kind;
    if (name === undefined)
      throw new GeneratorError(`Name the ${what}: npm run generate -- ${what} <name>.`);
    if (extra.length > 0)
      throw new GeneratorError(`One name at a time (also got: ${extra.join(' ')}).`);
    const options: Options = {
      source: values.source,
      layer: values.layer,
      label: values.label,
      description: values.description,
      type: values.type,
      data: values.data,
      connection: values.connection,
    };
    const foreign = Object.entries(options).filter(
      ([option, value]) => value !== undefined && !KIND_OPTIONS[what].includes(option),
    );
    if (foreign.length > 0)
      throw new GeneratorError(
        `--${foreign.map(([option]) => option).join(', --')}: not an option of ${what} (npm run generate -- --help).`,
      );
    const root = values.root ?? io.root;
    const changes = await planGeneration(root, what, name, options);
    const dryRun = values['dry-run'] === true;
    if (!dryRun) await writeChanges(root, changes);
    const verb = (change: FileChange) =>
      `${dryRun ? 'would ' : ''}${change.action === 'create' ? 'create' : 'update'}`;
    for (const change of changes) io.log(`${verb(change).padEnd(14)} ${change.path}`);
    const tests = changes.filter((change) => /\.test\.tsx?$/.test(change.path));
    if (!dryRun)
      io.log(
        `\nNext: npx vitest run ${tests.map((test) => test.path).join(' ')} (docs/generator.md).`,
      );
    return 0;
  } catch (error) {
    if (
      error instanceof GeneratorError ||
      (error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS')
    )
      io.error((error as Error).message);
    else throw error;
    return 1;
  }
}
