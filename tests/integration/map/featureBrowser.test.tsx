import { describe, expect, it, vi } from 'vitest';
import { act, screen } from '@testing-library/react';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import FeatureBrowser from '../../../src/features/map/FeatureBrowser';
import {
  featureBrowsingStarted,
  layerAdded,
  layerUpdated,
  selectSelectedFeature,
} from '../../../src/features/map/mapSlice';
import { fakeMap } from '../../utils/fakeMapGL';
import { renderWithProviders } from '../../utils/renderWithProviders';

// A maplibre map stand-in: 1 px per degree, north up, so screen order is easy to read.
const container = document.createElement('div');
document.body.append(container);
fakeMap.instance = {
  getCanvas: () => ({ clientWidth: 800, clientHeight: 600 }),
  getContainer: () => container,
  project: ([lng, lat]: [number, number]) => ({ x: 400 + lng, y: 300 - lat }),
};

const point = (name: string, lng: number, lat: number, id: number) => ({
  object: {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [lng, lat] },
    properties: { cartodb_id: id, name, layerName: 'default' },
  },
});

function setUp() {
  const pickObjects = vi.fn(() => [
    point('South', 0, -50, 1),
    point('North-east', 100, 50, 2),
    point('North-west', -100, 50, 3),
  ]);
  const overlay = { pickObjects } as unknown as MapboxOverlay;
  const result = renderWithProviders(<FeatureBrowser overlay={overlay} />);
  act(() => {
    result.store.dispatch(
      layerAdded({
        id: 'places',
        sourceId: 's',
        kind: 'vector',
        title: 'Places',
        visible: true,
        style: {},
        idColumn: 'cartodb_id',
      }),
    );
  });
  return { ...result, pickObjects };
}

describe('keyboard feature browser', () => {
  it('steps through the layer’s features in view in reading order, selecting each', async () => {
    const { store, user, pickObjects } = setUp();
    act(() => {
      store.dispatch(featureBrowsingStarted('places'));
    });
    const browser = await screen.findByRole('application', { name: /^Features of Places in view/ });
    expect(document.activeElement).toBe(browser);
    expect(pickObjects).toHaveBeenCalledWith(
      expect.objectContaining({ x: 0, y: 0, width: 800, height: 600, layerIds: ['places'] }),
    );
    // Top-left first: the north-west place, then north-east, then south.
    expect(browser.textContent).toMatch(/Places: 1 of 3/);
    expect(browser.textContent).toMatch(/name: North-west/);
    // Ids are not read out.
    expect(browser.textContent).not.toMatch(/cartodb_id/);
    expect(selectSelectedFeature(store.getState())).toMatchObject({
      layerId: 'places',
      properties: { name: 'North-west', cartodb_id: 3 },
      position: [-100, 50],
    });

    await user.keyboard('{ArrowRight}');
    expect(browser.textContent).toMatch(/2 of 3.*North-east/s);
    await user.keyboard('{End}');
    expect(browser.textContent).toMatch(/3 of 3.*South/s);
    await user.keyboard('{ArrowDown}');
    expect(browser.textContent).toMatch(/3 of 3/);
    await user.keyboard('{Home}{ArrowLeft}');
    expect(selectSelectedFeature(store.getState())?.properties.name).toBe('North-west');

    await user.keyboard('{Escape}');
    expect(store.getState().map.browsing).toBeNull();
    expect(screen.queryByRole('application')).toBeNull();
  });

  it('ends when its layer is hidden; says so when nothing is in view', async () => {
    const { store, pickObjects } = setUp();
    act(() => {
      store.dispatch(featureBrowsingStarted('places'));
    });
    await screen.findByRole('application');
    act(() => {
      store.dispatch(layerUpdated({ id: 'places', visible: false }));
    });
    expect(screen.queryByRole('application')).toBeNull();
    // A hidden layer cannot be browsed.
    act(() => {
      store.dispatch(featureBrowsingStarted('places'));
    });
    expect(store.getState().map.browsing).toBeNull();

    pickObjects.mockReturnValue([]);
    act(() => {
      store.dispatch(layerUpdated({ id: 'places', visible: true }));
      store.dispatch(featureBrowsingStarted('places'));
    });
    expect((await screen.findByRole('application')).textContent).toMatch(
      /no features in view.*zoom out/s,
    );
  });
});
