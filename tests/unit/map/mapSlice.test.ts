import { describe, expect, it } from 'vitest';
import { makeStore } from '../../../src/store/store';
import {
  basemapFailed,
  basemapNoticeDismissed,
  basemapSelected,
  featureSelected,
  selectionCleared,
  selectSelectedFeature,
  layerAdded,
  layerMoved,
  layerRemoved,
  layerUpdated,
  selectAllLayers,
  selectBasemap,
  selectBasemapNotice,
  selectLayerById,
  selectViewState,
  viewStateChanged,
  type LayerConfig,
} from '../../../src/features/map/mapSlice';
import type { ViewState } from '../../../src/config/configTypes';

const layer: LayerConfig = {
  id: 'stores-layer',
  sourceId: 'stores',
  kind: 'vector',
  title: 'Retail stores',
  visible: true,
  style: { fillColor: [3, 111, 226, 255], pointRadius: 4 },
};

describe('map slice', () => {
  it('stores only the serializable view fields, without transitions', () => {
    const store = makeStore();
    const fromMap = {
      longitude: -3.7,
      latitude: 40.4,
      zoom: 9,
      pitch: 30,
      bearing: 10,
      transitionDuration: 800,
      transitionInterpolator: { interpolateProps: () => ({}) },
      width: 800,
      height: 600,
      padding: { top: 0, bottom: 0, left: 0, right: 0 },
    } as unknown as ViewState;
    store.dispatch(viewStateChanged(fromMap));
    expect(selectViewState(store.getState())).toEqual({
      longitude: -3.7,
      latitude: 40.4,
      zoom: 9,
      pitch: 30,
      bearing: 10,
    });
  });

  it('normalises longitude and clamps latitude and zoom', () => {
    const store = makeStore();
    store.dispatch(
      viewStateChanged({ longitude: 190, latitude: 89, zoom: 30, pitch: 0, bearing: 0 }),
    );
    const view = selectViewState(store.getState());
    expect(view.longitude).toBeCloseTo(-170);
    expect(view.latitude).toBeCloseTo(85.05);
    expect(view.zoom).toBe(24);
  });

  it('falls back to the offline basemap when the selected online one fails', () => {
    const store = makeStore();
    store.dispatch(basemapSelected('voyager'));
    store.dispatch(basemapFailed({ failed: 'voyager', message: 'Voyager could not be loaded' }));
    expect(selectBasemap(store.getState())).toBe('offline');
    expect(selectBasemapNotice(store.getState())?.failed).toBe('voyager');

    store.dispatch(basemapNoticeDismissed());
    expect(selectBasemapNotice(store.getState())).toBeNull();
    expect(selectBasemap(store.getState())).toBe('offline');
  });

  it('ignores a failure report for a basemap that is no longer selected', () => {
    const store = makeStore();
    store.dispatch(basemapSelected('dark-matter'));
    store.dispatch(basemapFailed({ failed: 'positron', message: 'late answer' }));
    expect(selectBasemap(store.getState())).toBe('dark-matter');
    expect(selectBasemapNotice(store.getState())).toBeNull();
  });

  it('selecting a basemap again (retry) clears the notice', () => {
    const store = makeStore();
    store.dispatch(basemapFailed({ failed: 'positron', message: 'x' }));
    store.dispatch(basemapSelected('positron'));
    expect(selectBasemap(store.getState())).toBe('positron');
    expect(selectBasemapNotice(store.getState())).toBeNull();
  });

  it('adds, updates (merging style) and removes layers', () => {
    const store = makeStore();
    store.dispatch(layerAdded(layer));
    store.dispatch(layerUpdated({ id: 'stores-layer', visible: false, style: { pointRadius: 6 } }));
    expect(selectLayerById(store.getState(), 'stores-layer')).toEqual({
      ...layer,
      visible: false,
      style: { fillColor: [3, 111, 226, 255], pointRadius: 6 },
    });
    store.dispatch(layerUpdated({ id: 'missing', visible: false }));
    store.dispatch(layerRemoved('stores-layer'));
    expect(selectAllLayers(store.getState())).toEqual([]);
  });

  it('selects a clicked feature, clears it, and forgets it when its layer goes', () => {
    const store = makeStore();
    store.dispatch(layerAdded(layer));
    store.dispatch(
      featureSelected({ layerId: 'stores-layer', properties: { name: 'A', revenue: 10 } }),
    );
    expect(selectSelectedFeature(store.getState())?.properties.name).toBe('A');
    store.dispatch(selectionCleared());
    expect(selectSelectedFeature(store.getState())).toBeNull();
    store.dispatch(featureSelected({ layerId: 'stores-layer', properties: { name: 'B' } }));
    store.dispatch(layerRemoved('other'));
    expect(selectSelectedFeature(store.getState())).not.toBeNull();
    store.dispatch(layerRemoved('stores-layer'));
    expect(selectSelectedFeature(store.getState())).toBeNull();
  });

  it('hiding the selected feature’s layer closes its card; showing it again does not', () => {
    const store = makeStore();
    store.dispatch(layerAdded(layer));
    store.dispatch(featureSelected({ layerId: 'stores-layer', properties: { name: 'A' } }));
    store.dispatch(layerUpdated({ id: 'stores-layer', style: { pointRadius: 2 } }));
    expect(selectSelectedFeature(store.getState())).not.toBeNull();
    store.dispatch(layerUpdated({ id: 'stores-layer', visible: false }));
    expect(selectSelectedFeature(store.getState())).toBeNull();
  });

  it('draws layers in the order they are added, areas computed by models beneath the data', () => {
    const store = makeStore();
    const ids = () => selectAllLayers(store.getState()).map((l) => l.id);
    store.dispatch(layerAdded({ ...layer, id: 'a' }));
    store.dispatch(layerAdded({ ...layer, id: 'b' }));
    store.dispatch(layerAdded({ ...layer, id: 'area', kind: 'geojson' }));
    expect(ids()).toEqual(['area', 'a', 'b']);
    // Replacing a layer keeps its place.
    store.dispatch(layerAdded({ ...layer, id: 'a', title: 'A again' }));
    expect(ids()).toEqual(['area', 'a', 'b']);
  });

  it('moves a layer to a place in the drawing order (clamped), and ignores unknown layers', () => {
    const store = makeStore();
    const ids = () => selectAllLayers(store.getState()).map((l) => l.id);
    for (const id of ['a', 'b', 'c']) store.dispatch(layerAdded({ ...layer, id }));
    store.dispatch(layerMoved({ id: 'a', index: 2 }));
    expect(ids()).toEqual(['b', 'c', 'a']);
    store.dispatch(layerMoved({ id: 'a', index: -5 }));
    expect(ids()).toEqual(['a', 'b', 'c']);
    store.dispatch(layerMoved({ id: 'c', index: 99 }));
    expect(ids()).toEqual(['a', 'b', 'c']);
    store.dispatch(layerMoved({ id: 'nope', index: 0 }));
    expect(ids()).toEqual(['a', 'b', 'c']);
  });
});
