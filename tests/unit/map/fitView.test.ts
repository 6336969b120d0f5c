import { describe, expect, it } from 'vitest';
import { fitMapTo, viewForBounds } from '../../../src/features/map/fitView';
import { mapResized } from '../../../src/features/map/mapSlice';
import { makeStore } from '../../../src/store/store';
import type { BBox } from '../../../protocol/geojson';

const US: BBox = [-125, 24, -66, 50];

describe('fitting the map to bounds', () => {
  it('zooms out on a narrow map (a phone, no side panel) and in on a wide one', () => {
    const phone = viewForBounds(US, { width: 390, height: 700 });
    const desktop = viewForBounds(US, { width: 1580, height: 1000 });
    expect(phone.zoom).toBeLessThan(desktop.zoom);
    expect(phone.longitude).toBeCloseTo(-95.5, 0);
    expect(desktop.latitude).toBeGreaterThan(24);
    expect(desktop.latitude).toBeLessThan(50);
  });

  it('caps the zoom for tiny areas', () => {
    const point: BBox = [2.17, 41.38, 2.171, 41.381];
    expect(viewForBounds(point, { width: 800, height: 600 }, 14).zoom).toBe(14);
  });

  it('uses the size the map last reported', () => {
    const store = makeStore();
    store.dispatch(mapResized({ width: 390, height: 700 }));
    store.dispatch(fitMapTo(US));
    const narrow = store.getState().map.viewState.zoom;
    store.dispatch(mapResized({ width: 1580, height: 1000 }));
    store.dispatch(fitMapTo(US));
    expect(store.getState().map.viewState.zoom).toBeGreaterThan(narrow);
    expect(store.getState().map.size).toEqual({ width: 1580, height: 1000 });
  });
});
