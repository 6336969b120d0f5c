/**
 * What the generator writes, as plain TypeScript template literals: each template is a typed
 * function of the names and options, checked by `tsc` and lint like the rest of the scripts.
 * The output is formatted with the project's Prettier settings before it is written.
 */
import type { Names } from './names';

/** The source types a generated descriptor can have (the spatial-index ones aggregate cells). */
export const SOURCE_TYPES = ['table', 'query', 'h3-table', 'quadbin-table'] as const;
export type GeneratedSourceType = (typeof SOURCE_TYPES)[number];

export interface SourceOptions {
  type: GeneratedSourceType;
  /** Table name, or SQL for a query source. */
  data: string;
  /** A connection name; the demo connection is written as `DEMO_CONNECTION`. */
  connection: string;
}

/** A string as a single-quoted TypeScript literal. */
const literal = (value: string) =>
  `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** Text for a comment: no comment end. */
const prose = (value: string) => value.replace(/\*\//g, '* /');

/** Text for a JSX text node: no braces or angle brackets. */
const jsxText = (value: string) => value.replace(/[{}<>]/g, '');

const WHAT_SOURCE_READS: Record<GeneratedSourceType, (data: string) => string> = {
  table: (data) => `the ${data} table`,
  query: () => 'a query',
  'h3-table': (data) => `the H3 cells of ${data}, aggregated by the API`,
  'quadbin-table': (data) => `the quadbin cells of ${data}, aggregated by the API`,
};

/** A JSDoc comment, its words wrapped at the project's 100 columns (Prettier leaves comments). */
function docComment(text: string, indent = ''): string {
  const width = 100 - indent.length - 3;
  const lines: string[] = [];
  let line = '';
  for (const word of prose(text)
    .split(/\s+/)
    .filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  if (lines.length === 1 && indent.length + 7 + line.length <= 100)
    return `${indent}/** ${line} */`;
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`].join('\n');
}

export const sourceConstant = (names: Names) => `${names.constant}_SOURCE`;

/** A source descriptor, appended to src/data/sources.ts. */
export function sourceDescriptor(names: Names, options: SourceOptions): string {
  const connection =
    options.connection === 'carto_dw' ? 'DEMO_CONNECTION' : literal(options.connection);
  const cells =
    options.type === 'h3-table'
      ? `  spatialDataColumn: 'h3',\n  aggregationExp: 'COUNT(*) AS count',\n`
      : options.type === 'quadbin-table'
        ? `  spatialDataColumn: 'quadbin',\n  aggregationExp: 'COUNT(*) AS count',\n`
        : '';
  return `${docComment(`${names.title}: ${WHAT_SOURCE_READS[options.type](options.data)} (\`npm run generate -- source ${names.kebab}\`).`)}
export const ${sourceConstant(names)}: SourceDescriptor = {
  id: ${literal(names.kebab)},
  type: ${literal(options.type)},
  connection: ${connection},
  data: ${literal(options.data)},
${cells}};

`;
}

/** The source's test: CARTO (the emulator, in tests) serves it as a TileJSON. */
export function sourceTest(names: Names): string {
  const constant = sourceConstant(names);
  return `import { describe, expect, it } from 'vitest';
import { ${constant} } from '../../../src/data/sources';
import { toCartoSource } from '../../../src/features/sources/cartoSources';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';

let token: string;
sampleDataEmulator((t) => {
  token = t;
});

// The emulator serves its sample data (docs/emulator.md); a table of your own CARTO account is
// not in it: add it to the emulator's data folder (EMULATOR_DATA_DIR), or test it against CARTO.
describe('the ${names.kebab} source', () => {
  it('is served by CARTO as a TileJSON: the map can draw it', async () => {
    const tilejson = await toCartoSource(${constant}, {
      accessToken: token,
      apiBaseUrl: EMULATOR_URL,
    });
    expect(tilejson.tiles.length).toBeGreaterThan(0);
    expect(tilejson.accessToken).toBe(token);
  });

  it('is plain data that the store can hold', () => {
    expect(JSON.parse(JSON.stringify(${constant}))).toEqual(${constant});
    expect(${constant}.credentials).toBeUndefined();
  });
});
`;
}

/** The factory of a new layer kind: a chunk of its own, loaded when a map first draws one. */
export function layerFactory(names: Names): string {
  return `import { VectorTileLayer } from '@deck.gl/carto';
import { MVTLoader } from '@loaders.gl/mvt';
import { tileLayerProps, type LayerFactory } from './layerFactories';
import { DEFAULT_LINE } from './layerStyle';

${docComment(
  `${names.title} layers (kind \`${names.kebab}\`): the features of a CARTO source, drawn as tiles; points as circles with an outline. Made by \`npm run generate -- layer ${names.kebab}\`: change what it draws here. A chunk of its own (lazyLayers.ts), loaded when a map first draws one.`,
)}
export const ${names.camel}: LayerFactory = (config, data, events) =>
  new VectorTileLayer({
    ...tileLayerProps(config, data, events),
    getLineColor: config.style.lineColor ?? DEFAULT_LINE,
    getLineWidth: config.style.lineWidth ?? 1,
    lineWidthUnits: 'pixels',
    getPointRadius: config.style.pointRadius ?? 5,
    pointRadiusUnits: 'pixels',
    // Hover and selection highlight need a feature id that is the same in every tile.
    uniqueIdProperty: config.idColumn ?? '',
    highlightedFeatureId: events.selectedId ?? null,
    // Parses in the app's tile workers, or on the main thread when they cannot run.
    loaders: [MVTLoader],
  });
`;
}

/** The layer kind's test: the factory builds a deck.gl layer, and the map can load it. */
export function layerTest(names: Names): string {
  const kind = literal(names.kebab);
  return `import { describe, expect, it, vi } from 'vitest';
import type { TilejsonResult } from '@carto/api-client';
import { ${names.camel} } from '../../../src/features/map/layers/${names.camel}Layer';
import { lazyLayers } from '../../../src/features/map/layers/lazyLayers';
import { drawKind, type LayerConfig } from '../../../src/features/map/mapSlice';

const config: LayerConfig = {
  id: 'layer:${names.kebab}',
  sourceId: 'source:${names.kebab}',
  kind: ${kind},
  title: ${literal(names.title)},
  visible: true,
  idColumn: 'cartodb_id',
  style: { pointRadius: 7, lineColor: [1, 2, 3, 255] },
};

describe('the ${names.kebab} layer kind', () => {
  it('builds a pickable deck.gl layer from the config, the source and the events', () => {
    const onTileError = vi.fn();
    const data = Promise.resolve({ tiles: [] } as unknown as TilejsonResult);
    const layer = ${names.camel}(config, data, { onTileError, parsing: 'workers', selectedId: 4 });
    const props = layer.props as unknown as Record<string, unknown>;
    expect(props.id).toBe('layer:${names.kebab}');
    expect(props.visible).toBe(true);
    expect(props.pickable).toBe(true);
    expect(props.getPointRadius).toBe(7);
    expect(props.getLineColor).toEqual([1, 2, 3, 255]);
    expect(props.highlightedFeatureId).toBe(4);
    expect(props.onTileError).toBe(onTileError);
  });

  it('is drawn as itself, by a factory the map loads on first use', async () => {
    expect(drawKind(config)).toBe(${kind});
    const loaded = new Promise<void>((resolve) => {
      const unsubscribe = lazyLayers.subscribe(() => {
        unsubscribe();
        resolve();
      });
    });
    expect(lazyLayers.get(${kind}, 0)).toBeUndefined();
    await loaded;
    expect(lazyLayers.get(${kind}, 0)).toEqual({ factory: ${names.camel} });
  });
});
`;
}

export interface ViewOptions {
  label: string;
  description: string;
  /** The exported constant of the source it draws, in src/data/sources.ts. */
  source: string;
  /** The layer kind it draws the source with. */
  layer: string;
}

/** The registry entry: a route, a tab, a one-line description and a lazy chunk. */
export function viewEntry(names: Names, options: ViewOptions): string {
  return `  {
    path: ${literal(`/${names.kebab}`)},
    label: ${literal(options.label)},
    description: ${literal(options.description)},
    Component: lazy(() =>
      import('./${names.camel}/${names.pascal}View').then((m) => ({ default: m.${names.pascal}View })),
    ),
  },
`;
}

const layerId = (names: Names) => `${names.kebab}-layer`;

/** A view that owns a source and a layer: on the map while it is open. */
export function viewComponent(names: Names, options: ViewOptions): string {
  return `import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useAppSelector } from '../../store/hooks';
import { selectHasCartoSession } from '../../features/oauth/oauthSlice';
import { useViewLayers } from '../../features/map/useViewLayers';
import type { LayerConfig } from '../../features/map/mapSlice';
import { LayerRemovedNotice } from '../../components/LayerRemovedNotice';
import { LoggedOutHint } from '../../components/LoggedOutHint';
import { ${options.source} } from '../../data/sources';

/** The view's layer: plain data in the store; deck.gl builds it in render. */
const LAYER: LayerConfig = {
  id: ${literal(layerId(names))},
  sourceId: ${options.source}.id,
  kind: ${literal(options.layer)},
  title: ${literal(options.label)},
  visible: true,
  idColumn: 'cartodb_id',
  style: {
    fillColor: [3, 111, 226, 220],
    lineColor: [255, 255, 255, 200],
    lineWidth: 0.5,
    pointRadius: 4,
  },
};

function ${names.pascal}OnMap() {
  const { onMap, addBack } = useViewLayers(${options.source}, LAYER);
  return (
    <Box sx={{ px: 2, py: 1, display: 'grid', gap: 1 }}>
      {!onMap && <LayerRemovedNotice title={LAYER.title} onAddBack={addBack} />}
      <Typography variant="body2">
        ${jsxText(options.label)} is on the map. Add widgets, controls and text in
        src/views/${names.camel}/${names.pascal}View.tsx.
      </Typography>
    </Box>
  );
}

${docComment(
  `${options.description} Made by \`npm run generate -- view ${names.kebab}\`. The view owns its source and layer: they are on the map while it is open.`,
)}
export function ${names.pascal}View() {
  const loggedIn = useAppSelector(selectHasCartoSession);
  if (!loggedIn)
    return <LoggedOutHint>Log in with CARTO to see ${jsxText(options.label)} on the map.</LoggedOutHint>;
  return <${names.pascal}OnMap />;
}
`;
}

/** The view's test: in the side panel, logged out and logged in, and what it leaves behind. */
export function viewTest(names: Names, options: ViewOptions): string {
  const view = `${names.pascal}View`;
  return `import { Suspense } from 'react';
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { VIEWS } from '../../../src/views/registry';
import { ${view} } from '../../../src/views/${names.camel}/${view}';
import { ${options.source} } from '../../../src/data/sources';
import { selectAllLayers } from '../../../src/features/map/mapSlice';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

const HINT = ${literal(`Log in with CARTO to see ${jsxText(options.label)} on the map.`)};

function loggedInStore() {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({ accessToken: 'test-token', expiresAt: null, grantedScopes: [], user: null }),
  );
  return store;
}

describe('the ${names.kebab} view', () => {
  it('has a tab and a route in the side panel, with a one-line description', async () => {
    const entry = VIEWS.find((view) => view.path === ${literal(`/${names.kebab}`)});
    expect(entry?.label).toBe(${literal(options.label)});
    expect(entry?.description).not.toBe('');
    const Lazy = entry!.Component;
    renderWithProviders(
      <Suspense fallback={null}>
        <Lazy />
      </Suspense>,
    );
    expect(await screen.findByText(HINT)).toBeInTheDocument();
  });

  it('logged out, says what to do and adds nothing to the map', () => {
    const { store } = renderWithProviders(<${view} />);
    expect(screen.getByText(HINT)).toBeInTheDocument();
    expect(selectAllLayers(store.getState())).toEqual([]);
  });

  it('logged in, puts its source and layer on the map while it is open', () => {
    const store = loggedInStore();
    const { unmount } = renderWithProviders(<${view} />, { store });
    expect(screen.queryByText(HINT)).toBeNull();
    const [layer] = selectAllLayers(store.getState());
    expect(layer).toMatchObject({ id: ${literal(layerId(names))}, kind: ${literal(options.layer)} });
    expect(store.getState().sources.entities[${options.source}.id]).toEqual(${options.source});
    unmount();
    expect(selectAllLayers(store.getState())).toEqual([]);
    expect(store.getState().sources.entities[${options.source}.id]).toBeUndefined();
  });
});
`;
}
