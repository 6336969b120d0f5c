import { describe, expect, it, vi } from 'vitest';
import { MVTLoader } from '@loaders.gl/mvt';
import type { TilejsonResult } from '@carto/api-client';
import { DEFAULT_FILL, LAYER_FACTORIES } from '../../../src/features/map/layers/layerFactories';
import { lazyLayers } from '../../../src/features/map/layers/lazyLayers';
import { makeTooltip } from '../../../src/features/map/DeckLayers';
import { tileToCell } from 'quadbin';
import { plainProperties, pointPosition } from '../../../src/features/map/pickedFeature';
import { featurePosition } from '../../../src/features/map/FeatureBrowser';
import { drawKind, type LayerConfig } from '../../../src/features/map/mapSlice';

const config: LayerConfig = {
  id: 'layer:places',
  sourceId: 'dataset:places',
  kind: 'vector',
  title: 'places',
  visible: false,
  style: { pointRadius: 5, lineColor: [1, 2, 3, 255] },
};

describe('layer factories', () => {
  it('build a VectorTileLayer from the config, the source promise and the events', () => {
    const data = Promise.resolve({ tiles: [] } as unknown as TilejsonResult);
    const onTileError = vi.fn();
    const layer = LAYER_FACTORIES.vector!(config, data, { onTileError, parsing: 'workers' });
    expect(layer.constructor.name).toBe('VectorTileLayer');
    const props = layer.props as unknown as Record<string, unknown>;
    expect(props.id).toBe('layer:places');
    expect(props.visible).toBe(false);
    expect(props.pickable).toBe(true);
    expect(props.getPointRadius).toBe(5);
    expect(props.getFillColor).toEqual(DEFAULT_FILL);
    expect(props.getLineColor).toEqual([1, 2, 3, 255]);
    expect(props.onTileError).toBe(onTileError);
  });

  it('parse tiles in the app’s own workers, never from a CDN, or on the main thread as a fallback', () => {
    const build = (parsing: 'workers' | 'main-thread') =>
      LAYER_FACTORIES.vector!(config, Promise.resolve({} as TilejsonResult), {
        onTileError: vi.fn(),
        parsing,
      }).props as unknown as {
        loaders: unknown[];
        loadOptions: Record<string, { workerUrl?: string } | boolean>;
        updateTriggers: { getTileData: unknown };
      };
    const inWorkers = build('workers');
    expect(inWorkers.loadOptions.worker).toBe(true);
    for (const loader of ['mvt', 'cartoSpatialTile', 'cartoVectorTile', 'cartoPropertiesTile']) {
      const url = (inWorkers.loadOptions[loader] as { workerUrl?: string }).workerUrl ?? '';
      // Served by the app (a path on its own origin), not unpkg.com.
      expect(url).toMatch(/^\/.*worker.*\.js/);
    }
    // MVTLoader parses on whichever thread loadOptions say (MVTWorkerLoader cannot fall back).
    expect(inWorkers.loaders).toEqual([MVTLoader]);
    const onMain = build('main-thread');
    expect(onMain.loadOptions).toEqual({ worker: false });
    // Switching reloads the tiles.
    expect(onMain.updateTriggers.getTileData).not.toEqual(inWorkers.updateTriggers.getTileData);
  });

  it('build a QuadbinTileLayer coloured by class, parsing tiles in a worker', () => {
    const onTileError = vi.fn();
    const quadbin: LayerConfig = {
      ...config,
      kind: 'quadbin',
      style: {
        colorBins: {
          column: 'population',
          thresholds: [10],
          colors: [
            [1, 1, 1, 255],
            [9, 9, 9, 255],
          ],
        },
      },
    };
    const layer = LAYER_FACTORIES.quadbin!(quadbin, Promise.resolve({} as TilejsonResult), {
      onTileError,
      parsing: 'workers',
    });
    expect(layer.constructor.name).toBe('QuadbinTileLayer');
    const props = layer.props as unknown as Record<string, unknown>;
    expect(props.loadOptions).toMatchObject({ worker: true });
    expect(props.onTileError).toBe(onTileError);
    const color = props.getFillColor as (f: unknown) => unknown;
    expect(color({ properties: { population: 3 } })).toEqual([1, 1, 1, 255]);
    expect(color({ properties: { population: 30 } })).toEqual([9, 9, 9, 255]);
  });

  it('vector and quadbin layers are in the map chunk; H3 loads on first use', async () => {
    expect(Object.keys(LAYER_FACTORIES)).toEqual(['vector', 'quadbin']);
    const heard = vi.fn();
    const unsubscribe = lazyLayers.subscribe(heard);
    expect(lazyLayers.get('h3', 0)).toBeUndefined(); // loading
    await vi.waitFor(() => expect(heard).toHaveBeenCalled());
    unsubscribe();
    const loaded = lazyLayers.get('h3', 0);
    if (!loaded || !('factory' in loaded)) throw new Error('the H3 layer did not load');
    const layer = loaded.factory({ ...config, kind: 'h3' }, Promise.resolve({} as TilejsonResult), {
      onTileError: vi.fn(),
      parsing: 'workers',
    });
    expect(layer.constructor.name).toBe('H3TileLayer');
    expect((layer.props as unknown as { loadOptions: unknown }).loadOptions).toMatchObject({
      worker: true,
    });
    // Clusters are not drawable yet.
    expect(lazyLayers.get('cluster', 0)).toBeUndefined();
  });

  it('H3 and quadbin cells can be drawn as a heatmap, weighted by their class column', async () => {
    const cells: LayerConfig = {
      ...config,
      kind: 'quadbin',
      style: {
        heatmap: true,
        colorBins: {
          column: 'population',
          thresholds: [10],
          colors: [
            [1, 2, 3, 255],
            [9, 8, 7, 255],
          ],
        },
      },
    };
    expect(drawKind(cells)).toBe('heatmap');
    expect(drawKind({ ...cells, style: { ...cells.style, heatmap: false } })).toBe('quadbin');
    // A vector layer is never a heatmap.
    expect(drawKind({ ...cells, kind: 'vector' })).toBe('vector');
    lazyLayers.get('heatmap', 0);
    await vi.waitFor(() => expect(lazyLayers.get('heatmap', 0)).toBeDefined());
    const loaded = lazyLayers.get('heatmap', 0);
    if (!loaded || !('factory' in loaded)) throw new Error('the heatmap layer did not load');
    const layer = loaded.factory(cells, Promise.resolve({} as TilejsonResult), {
      onTileError: vi.fn(),
      parsing: 'workers',
    });
    expect(layer.constructor.name).toBe('HeatmapTileLayer');
    const props = layer.props as unknown as {
      getWeight: (cell: unknown) => number;
      colorRange: number[][];
    };
    expect(props.getWeight({ properties: { population: 42 } })).toBe(42);
    expect(props.getWeight({ properties: { population: null } })).toBe(0);
    expect(props.colorRange).toEqual([
      [1, 2, 3],
      [9, 8, 7],
    ]);
  });

  it('the tooltip lists formatted fields as plain text, without ids, clear of the feature', () => {
    const config = {
      id: 'places',
      sourceId: 's',
      kind: 'vector' as const,
      title: 'Places',
      visible: true,
      style: { pointRadius: 10 },
      idColumn: 'place_id',
    };
    const tooltip = makeTooltip([config]);
    const info = {
      layer: { id: 'places' },
      x: 100,
      y: 300,
      viewport: { width: 800, height: 600 },
      object: {
        properties: {
          place_id: 17,
          cartodb_id: 17,
          name: '<b>Madrid</b>',
          population: 3_255_944,
          layerName: 'default',
        },
      },
    };
    const shown = tooltip(info as never);
    expect(shown?.text).toBe('name: <b>Madrid</b>\npopulation: 3,255,944');
    // Right of and above the pointer, further than the point's radius.
    expect(shown?.style.transform).toBe('translate(118px, calc(282px - 100%))');
    // Near the top-right corner it flips to the left and below.
    const corner = tooltip({ ...info, x: 790, y: 10 } as never);
    expect(corner?.style.transform).toBe('translate(calc(772px - 100%), 28px)');
    expect(tooltip({ object: null } as never)).toBeNull();
    expect(tooltip({ ...info, object: { properties: { cartodb_id: 1 } } } as never)).toBeNull();
  });

  it('keeps only plain property values for the store', () => {
    expect(
      plainProperties({ properties: { a: 1, b: 'x', c: null, d: { e: 1 }, layerName: 'default' } }),
    ).toEqual({
      a: 1,
      b: 'x',
      c: null,
      d: '{"e":1}',
    });
    expect(plainProperties(null)).toBeNull();
  });

  it('a picked point keeps where it is; other geometries and bad values have no position', () => {
    const point = (coordinates: unknown) => ({ geometry: { type: 'Point', coordinates } });
    expect(pointPosition(point([-3.7, 40.4]))).toEqual([-3.7, 40.4]);
    expect(pointPosition(point([NaN, 1]))).toBeUndefined();
    expect(pointPosition(point('x'))).toBeUndefined();
    expect(
      pointPosition({ geometry: { type: 'Polygon', coordinates: [[[0, 0]]] } }),
    ).toBeUndefined();
    expect(pointPosition(null)).toBeUndefined();
  });
});

describe('highlight', () => {
  it('hover and selection highlight by the layer’s id column, the selected feature kept lit', () => {
    const props = LAYER_FACTORIES.vector!(
      { ...config, idColumn: 'cartodb_id' },
      Promise.resolve({} as TilejsonResult),
      { onTileError: vi.fn(), parsing: 'workers', selectedId: 42 },
    ).props as unknown as {
      uniqueIdProperty: string;
      highlightedFeatureId: unknown;
      autoHighlight: boolean;
    };
    expect(props.autoHighlight).toBe(true);
    expect(props.uniqueIdProperty).toBe('cartodb_id');
    expect(props.highlightedFeatureId).toBe(42);
    const plain = LAYER_FACTORIES.vector!(config, Promise.resolve({} as TilejsonResult), {
      onTileError: vi.fn(),
      parsing: 'workers',
    }).props as unknown as { highlightedFeatureId: unknown };
    expect(plain.highlightedFeatureId).toBeNull();
  });

  it('where a picked feature is: a point, a shape’s box centre, a quadbin or H3 cell’s centre', () => {
    expect(featurePosition({ geometry: { type: 'Point', coordinates: [2, 41] } })).toEqual([2, 41]);
    const square = {
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [10, 0],
            [10, 20],
            [0, 20],
            [0, 0],
          ],
        ],
      },
    };
    expect(featurePosition(square)).toEqual([5, 10]);
    // The z1 quadbin cell x=1, y=0: the north-east quarter of the world.
    const cell = tileToCell({ x: 1, y: 0, z: 1 });
    const [lng, lat] = featurePosition({ id: cell, properties: {} }) ?? [];
    expect(lng).toBeGreaterThan(0);
    expect(lat).toBeGreaterThan(0);
    expect(featurePosition({ properties: {} })).toBeNull();
    // Madrid's H3 cell at resolution 5.
    const [hLng, hLat] = featurePosition({ id: '85390ca3fffffff', properties: {} }) ?? [];
    expect(hLng).toBeCloseTo(-3.7, 0);
    expect(hLat).toBeCloseTo(40.4, 0);
    expect(featurePosition({ id: 'not-a-cell', properties: {} })).toBeNull();
  });
});
