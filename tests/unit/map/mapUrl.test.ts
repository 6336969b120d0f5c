import { Buffer } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeMapHash, encodeMapHash } from '../../../src/features/map/mapUrl';
import { MAP_URL_DEBOUNCE_MS, type MapUrl } from '../../../src/store/listeners';
import {
  basemapFailed,
  basemapSelected,
  layerAdded,
  layerRemoved,
  layerUpdated,
  mapClicked,
  mapStateFromConfig,
  viewStateChanged,
  type LayerConfig,
  type MapState,
} from '../../../src/features/map/mapSlice';
import { sourceAdded, type SourceDescriptor } from '../../../src/features/sources/sourcesSlice';
import { userDataCleared } from '../../../src/features/oauth/oauthSlice';
import {
  makeStore,
  preloadedStateFromConfig,
  preloadedStateFromUrl,
  type RootState,
} from '../../../src/store/store';
import { initialState as appConfig } from '../../../src/store/initialStateSlice';

const storesSource: SourceDescriptor = {
  id: 'stores',
  type: 'table',
  connection: 'carto_dw',
  data: 'demo.retail_stores',
};
const cellsSource: SourceDescriptor = {
  id: 'dataset:cells',
  type: 'quadbin-table',
  connection: 'carto_dw',
  data: 'carto-demo-data.demo_tables.spain_cells',
  spatialDataColumn: 'quadbin',
  aggregationExp: 'SUM("population") AS "population", COUNT(*) AS count',
};
const storesLayer: LayerConfig = {
  id: 'stores-layer',
  sourceId: 'stores',
  kind: 'vector',
  title: 'Retail stores',
  visible: true,
  style: {
    fillColor: [3, 111, 226, 255],
    lineColor: [255, 255, 255, 200],
    lineWidth: 0.5,
    pointRadius: 4,
    opacity: 0.9,
    colorBy: {
      column: 'storetype',
      domain: ['Supermarket', 'Pharmacy'],
      colors: [
        [127, 60, 141, 230],
        [17, 165, 121, 230],
      ],
    },
  },
  idColumn: 'cartodb_id',
};
const cellsLayer: LayerConfig = {
  id: 'layer:cells',
  sourceId: 'dataset:cells',
  kind: 'quadbin',
  title: 'Population (cells) — ñ ✓',
  visible: false,
  style: {
    opacity: 0.85,
    colorBins: {
      column: 'population',
      thresholds: [10, 100, 1000],
      colors: [
        [243, 231, 155, 210],
        [250, 196, 132, 210],
        [248, 160, 126, 210],
        [235, 127, 134, 210],
      ],
    },
  },
};

/** A map link made by hand: the base64url JSON of `payload`. */
function layersParam(payload: unknown) {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}
/** The link of the configured view (src/store/initialStateSlice.ts) and no layers. */
const CONFIGURED = '#map=1.6/30/-40&basemap=auto';

function stateWith(
  layers: LayerConfig[],
  sources: SourceDescriptor[],
): Pick<RootState, 'map' | 'sources'> {
  const store = makeStore();
  for (const source of sources) store.dispatch(sourceAdded(source));
  for (const layer of layers) store.dispatch(layerAdded(layer));
  store.dispatch(
    viewStateChanged({ longitude: -3.70379, latitude: 40.41678, zoom: 11.5, pitch: 0, bearing: 0 }),
  );
  return store.getState();
}

let warn: ReturnType<typeof vi.fn<(message: string) => void>>;
beforeEach(() => {
  warn = vi.fn<(message: string) => void>();
});

describe('encodeMapHash / decodeMapHash', () => {
  it('round-trips the view, the basemap and the layers with their sources, in order', () => {
    const state = stateWith([cellsLayer, storesLayer], [storesSource, cellsSource]);
    const hash = encodeMapHash(state);
    expect(hash).toMatch(/^#map=11\.5\/40\.4168\/-3\.7038&basemap=auto&layers=[\w-]+$/);
    const link = decodeMapHash(hash, warn);
    expect(warn).not.toHaveBeenCalled();
    expect(link.viewState).toEqual({
      zoom: 11.5,
      latitude: 40.4168,
      longitude: -3.7038,
      bearing: 0,
      pitch: 0,
    });
    expect(link.basemap).toBe('auto');
    expect(link.layers).toEqual([cellsLayer, storesLayer]);
    expect(link.sources).toEqual([cellsSource, storesSource]);
  });

  it('keeps bearing and pitch when set, and rounds coordinates to the zoom', () => {
    const map: MapState = {
      ...mapStateFromConfig(appConfig),
      viewState: {
        longitude: 2.1234567,
        latitude: 41.3851234,
        zoom: 3.14159,
        pitch: 45.04,
        bearing: -370,
      },
    };
    const hash = encodeMapHash({ map, sources: { ids: [], entities: {} } });
    expect(hash).toBe('#map=3.14/41.39/2.12/-10/45&basemap=auto');
    expect(decodeMapHash(hash, warn).viewState).toEqual({
      zoom: 3.14,
      latitude: 41.39,
      longitude: 2.12,
      bearing: -10,
      pitch: 45,
    });
  });

  it('stays in the range it accepts near the poles and the antimeridian', () => {
    const base = mapStateFromConfig(appConfig);
    for (const [latitude, longitude] of [
      [85.05, 179.99],
      [-85.05, -179.99],
      [84.99, 180],
      [89, 540.2],
    ] as const) {
      for (const zoom of [0, 0.5, 3, 24]) {
        const viewState = { longitude, latitude, zoom, pitch: 85, bearing: 359.99 };
        const hash = encodeMapHash({
          map: { ...base, viewState },
          sources: { ids: [], entities: {} },
        });
        expect(decodeMapHash(hash, warn).viewState).toBeDefined();
      }
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('writes the basemap the user chose, not the offline fallback shown while it fails', () => {
    const store = makeStore();
    store.dispatch(basemapSelected('dark-matter'));
    store.dispatch(basemapFailed({ failed: 'dark-matter', message: 'network error' }));
    expect(store.getState().map.basemap).toBe('offline');
    expect(encodeMapHash(store.getState())).toContain('&basemap=dark-matter');
  });

  it('leaves out query, GeoJSON and own-credential sources, and never writes a token', () => {
    const secret = 'eyJ-secret-token';
    const state = stateWith(
      [
        { ...storesLayer, id: 'sql', sourceId: 'sql' },
        { ...storesLayer, id: 'iso', sourceId: 'iso', kind: 'geojson' },
        { ...storesLayer, id: 'public', sourceId: 'public' },
        storesLayer,
      ],
      [
        { ...storesSource, id: 'sql', type: 'query', data: 'SELECT * FROM t' },
        { ...storesSource, id: 'iso', type: 'geojson', data: '{"type":"FeatureCollection"}' },
        {
          ...storesSource,
          id: 'public',
          credentials: { accessToken: secret, apiBaseUrl: 'https://x' },
        },
        storesSource,
      ],
    );
    const hash = encodeMapHash(state);
    const link = decodeMapHash(hash, warn);
    expect(link.layers.map((layer) => layer.id)).toEqual(['stores-layer']);
    expect(link.sources).toEqual([storesSource]);
    expect(atob(hash.split('layers=')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).not.toContain(
      secret,
    );
    expect(hash).not.toContain(secret);
  });

  it('has no layers part when no layer can be linked', () => {
    expect(encodeMapHash(makeStore().getState())).toBe(CONFIGURED);
    expect(decodeMapHash('', warn)).toEqual({ sources: [], layers: [] });
    expect(decodeMapHash('#', warn)).toEqual({ sources: [], layers: [] });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('decodeMapHash with hostile links', () => {
  const good = layersParam({ sources: [storesSource], layers: [storesLayer] });

  function decodeWarned(hash: string) {
    const link = decodeMapHash(hash, warn);
    expect(warn).toHaveBeenCalledTimes(1);
    return { link, message: String(warn.mock.calls[0]?.[0]) };
  }

  it('ignores a view out of range or malformed, and keeps the rest', () => {
    for (const view of [
      '99/0/0',
      '3/91/0',
      '3/0/200',
      '3/0/0/0/90',
      '1e309/0/0',
      '3/0',
      'x/y/z',
      '3/0/0/0',
      '3/0/0x10',
      '99999999999999999999/0/0',
    ]) {
      warn.mockClear();
      const { link, message } = decodeWarned(`#map=${view}&basemap=voyager&layers=${good}`);
      expect(link.viewState).toBeUndefined();
      expect(link.basemap).toBe('voyager');
      expect(link.layers).toEqual([storesLayer]);
      expect(message).toMatch(/^Parts of the map link were ignored: map \(/);
    }
  });

  it('ignores an unknown basemap and unknown or repeated parameters', () => {
    const { link, message } = decodeWarned(
      '#map=3/10/20&basemap=javascript:alert(1)&map=4/0/0&__proto__=1&constructor',
    );
    expect(link.viewState).toMatchObject({ zoom: 3, latitude: 10, longitude: 20 });
    expect(link.basemap).toBeUndefined();
    expect(message).toContain('basemap "javascript:alert(1)"');
    expect(message).toContain('"map" (given twice)');
    expect(message).toContain('"__proto__" (unknown)');
    expect(message).toContain('"constructor" (unknown)');
  });

  it('ignores layers that are not base64url JSON, or JSON of the wrong shape', () => {
    for (const value of [
      '%%%',
      '!!!',
      'a',
      btoa('{not json'),
      layersParam([1, 2]),
      layersParam(null),
    ]) {
      warn.mockClear();
      const { link, message } = decodeWarned(`#map=3/10/20&layers=${value}`);
      expect(link.layers).toEqual([]);
      expect(link.sources).toEqual([]);
      expect(link.viewState).toBeDefined();
      expect(message).toMatch(/layers \(|"layers" \(malformed\)/);
    }
  });

  it('drops sources that carry credentials, and the layers drawn from them', () => {
    const withToken = {
      ...storesSource,
      id: 'theirs',
      credentials: { accessToken: 'attacker', apiBaseUrl: 'https://evil.example' },
    };
    const { link, message } = decodeWarned(
      `#layers=${layersParam({
        sources: [withToken, storesSource],
        layers: [{ ...storesLayer, id: 'evil', sourceId: 'theirs' }, storesLayer],
      })}`,
    );
    expect(link.sources).toEqual([storesSource]);
    expect(link.layers).toEqual([storesLayer]);
    expect(message).toContain('source "theirs" (links never carry credentials)');
    expect(message).toContain('layer "evil" (its source "theirs" is not in the link)');
  });

  it('drops query and GeoJSON sources, SQL in a table name and odd aggregations', () => {
    const { link, message } = decodeWarned(
      `#layers=${layersParam({
        sources: [
          { ...storesSource, id: 'q', type: 'query', data: 'SELECT * FROM secrets' },
          { ...storesSource, id: 'h', type: 'h3-query', data: 'SELECT 1' },
          { ...storesSource, id: 'g', type: 'geojson', data: '{}' },
          { ...storesSource, id: 't', data: 'x; DROP TABLE y' },
          { ...cellsSource, id: 'a', aggregationExp: 'SUM(x) AS y FROM z; --' },
          { ...storesSource, id: 'p', queryParameters: [1] },
          cellsSource,
        ],
        layers: [{ ...cellsLayer }],
      })}`,
    );
    expect(link.sources).toEqual([cellsSource]);
    expect(link.layers).toEqual([cellsLayer]);
    for (const id of ['q', 'h', 'g', 't', 'a', 'p']) expect(message).toContain(`source "${id}"`);
  });

  it('drops layers with wrong types, huge numbers, bad colours or unknown keys', () => {
    const bad: unknown[] = [
      { ...storesLayer, id: 'n1', visible: 'yes' },
      { ...storesLayer, id: 'n2', style: { pointRadius: 1e308 } },
      { ...storesLayer, id: 'n3', style: { fillColor: [0, 0, 0] } },
      { ...storesLayer, id: 'n4', style: { fillColor: [0, 0, 256, 0] } },
      { ...storesLayer, id: 'n5', style: { lineColor: [0.5, 0, 0, 0] } },
      { ...storesLayer, id: 'n6', style: { opacity: '1' } },
      { ...storesLayer, id: 'n7', kind: 'geojson' },
      { ...storesLayer, id: 'n8', title: 'x'.repeat(10_000) },
      { ...storesLayer, id: 'n9', onClick: 'alert(1)' },
      { ...storesLayer, id: 'n10', style: { colorBy: { column: 'c', domain: [1], colors: [] } } },
      { ...storesLayer, id: 42 },
      'a string',
      null,
      { ...storesLayer, id: 'n11', title: 'tab\there' },
      storesLayer,
      { ...storesLayer, title: 'a second one' },
    ];
    const { link, message } = decodeWarned(
      `#layers=${layersParam({ sources: [storesSource], layers: bad })}`,
    );
    expect(link.layers).toEqual([storesLayer]);
    for (const id of ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'n11'])
      expect(message).toContain(`layer "${id}"`);
    expect(message).toContain('layer #11');
    expect(message).toContain('layer "stores-layer" (a second layer with its id)');
  });

  it('ignores __proto__ keys without polluting anything', () => {
    const json = JSON.stringify({ sources: [storesSource], layers: [storesLayer] }).replace(
      '"visible":true',
      '"visible":true,"__proto__":{"polluted":true}',
    );
    const encoded = btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const topLevel = layersParam({ sources: [storesSource], layers: [storesLayer] });
    const protoTop = btoa(
      JSON.stringify({ __proto__: { polluted: true }, sources: [], layers: [] }),
    );
    const { link, message } = decodeWarned(`#layers=${encoded}`);
    expect(link.layers).toEqual([]);
    expect(message).toContain('layer "stores-layer" (__proto__');
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(decodeMapHash(`#layers=${topLevel}`, warn).layers).toEqual([storesLayer]);
    decodeMapHash(`#layers=${protoTop}`, warn);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('takes at most 50 layers, and does not even decode a huge list', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...storesLayer, id: `l${i}`, title: '' }));
    const { link, message } = decodeWarned(
      `#layers=${layersParam({ sources: [storesSource], layers: many })}`,
    );
    expect(link.layers).toHaveLength(50);
    expect(message).toContain('10 layers beyond the first 50');

    warn.mockClear();
    const tenThousand = Array.from({ length: 10_000 }, (_, i) => ({ ...storesLayer, id: `l${i}` }));
    const huge = decodeWarned(
      `#map=3/1/2&layers=${layersParam({ sources: [storesSource], layers: tenThousand })}`,
    );
    expect(huge.link.layers).toEqual([]);
    expect(huge.link.viewState).toBeUndefined();
    expect(huge.message).toMatch(/ignored: it is longer than/);
  });

  it('never throws, whatever the hash', () => {
    for (const hash of ['#%', '#=&=&', '#&&&', '#map=%E0%A4%A', '#layers=', `#${'&'.repeat(5000)}`])
      expect(() => decodeMapHash(hash, warn)).not.toThrow();
  });
});

describe('preloadedStateFromUrl', () => {
  it('puts the link over the configured map, with its layers and sources', async () => {
    const hash = encodeMapHash(stateWith([storesLayer, cellsLayer], [storesSource, cellsSource]));
    const store = makeStore(await preloadedStateFromUrl(appConfig, hash));
    const state = store.getState();
    expect(state.map.viewState).toEqual({
      longitude: -3.7038,
      latitude: 40.4168,
      zoom: 11.5,
      pitch: 0,
      bearing: 0,
    });
    expect(state.map.layers.ids).toEqual(['stores-layer', 'layer:cells']);
    expect(state.map.layers.entities['layer:cells']).toEqual(cellsLayer);
    expect(state.sources.entities.stores).toEqual(storesSource);
    expect(state.sources.entities['dataset:cells']).toEqual(cellsSource);
    expect(state.oauth.clientId).toBe(appConfig.oauth.clientId);
  });

  it('keeps the configuration where the link says nothing or is invalid', async () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const state = makeStore(
      await preloadedStateFromUrl(appConfig, '#map=99/0/0&basemap=voyager'),
    ).getState();
    expect(state.map.viewState).toEqual(appConfig.viewState);
    expect(state.map.basemap).toBe('voyager');
    expect(state.map.layers.ids).toEqual([]);
    expect(spy).toHaveBeenCalledOnce();
  });

  it('is the configuration alone without a hash', async () => {
    expect(await preloadedStateFromUrl(appConfig, '')).toEqual(preloadedStateFromConfig(appConfig));
  });
});

describe('the map link listener', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function recordingUrl(initial = ''): MapUrl & { writes: string[] } {
    let current = initial;
    const writes: string[] = [];
    return {
      writes,
      read: () => current,
      write: (hash) => {
        current = hash;
        writes.push(hash);
      },
    };
  }

  it('writes the hash once the map has been still for a moment, not on every change', async () => {
    const url = recordingUrl();
    const store = makeStore(undefined, { mapUrl: url });
    store.dispatch(sourceAdded(storesSource));
    store.dispatch(layerAdded(storesLayer));
    for (let zoom = 4; zoom < 10; zoom++) {
      store.dispatch(viewStateChanged({ longitude: 0, latitude: 0, zoom, pitch: 0, bearing: 0 }));
      await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS / 3);
    }
    expect(url.writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS);
    expect(url.writes).toEqual([encodeMapHash(store.getState())]);
    expect(url.writes[0]).toMatch(/^#map=9\/0\/0&basemap=auto&layers=/);
  });

  it('follows style changes, the drawing order, removals and logout', async () => {
    const url = recordingUrl();
    const store = makeStore(undefined, { mapUrl: url });
    store.dispatch(sourceAdded(storesSource));
    store.dispatch(sourceAdded(cellsSource));
    store.dispatch(layerAdded(storesLayer));
    store.dispatch(layerAdded(cellsLayer));
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS);
    const layersIn = () => decodeMapHash(url.read(), warn).layers;

    store.dispatch(layerUpdated({ id: 'stores-layer', style: { fillColor: [1, 2, 3, 4] } }));
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS);
    expect(layersIn()[0]?.style.fillColor).toEqual([1, 2, 3, 4]);

    // A new drawing order (any change of the layers is followed, whichever action made it).
    store.dispatch(layerRemoved('stores-layer'));
    store.dispatch(layerAdded(storesLayer));
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS);
    expect(layersIn().map((layer) => layer.id)).toEqual(['layer:cells', 'stores-layer']);

    store.dispatch(layerRemoved('layer:cells'));
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS);
    expect(layersIn().map((layer) => layer.id)).toEqual(['stores-layer']);

    store.dispatch(userDataCleared());
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS);
    expect(url.read()).toBe(CONFIGURED);
    expect(warn).not.toHaveBeenCalled();
  });

  it('leaves a page without a hash alone until the link really changes (e.g. logout, no layers)', async () => {
    const url = recordingUrl('');
    const store = makeStore(undefined, { mapUrl: url });
    store.dispatch(userDataCleared());
    store.dispatch(sourceAdded(storesSource)); // a source without a layer is not in the link
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS * 2);
    expect(url.writes).toEqual([]);
    store.dispatch(basemapSelected('voyager'));
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS);
    expect(url.writes).toEqual(['#map=1.6/30/-40&basemap=voyager']);
  });

  it('does not write when nothing the link carries changed', async () => {
    const url = recordingUrl(CONFIGURED);
    const store = makeStore(undefined, { mapUrl: url });
    store.dispatch(mapClicked({ longitude: 1, latitude: 2 }));
    // A view change that rounds to the same link.
    store.dispatch(
      viewStateChanged({ longitude: -40.000001, latitude: 30, zoom: 1.6, pitch: 0, bearing: 0 }),
    );
    await vi.advanceTimersByTimeAsync(MAP_URL_DEBOUNCE_MS * 2);
    expect(url.writes).toEqual([]);
  });
});
