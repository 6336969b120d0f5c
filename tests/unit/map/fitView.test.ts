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

describe('fitting across the antimeridian', () => {
  it('centres on a box whose west is east of its east (Fiji), zoomed in, not on the world', () => {
    const fiji = viewForBounds([174.6, -21.7, -178.25, -12.5], { width: 900, height: 700 });
    expect(Math.abs(fiji.longitude)).toBeGreaterThan(175);
    expect(fiji.zoom).toBeGreaterThan(4);
    const world = viewForBounds([-180, -60, 180, 80], { width: 900, height: 700 });
    expect(fiji.zoom).toBeGreaterThan(world.zoom + 3);
  });

  it('us_states with the Aleutians and Guam ends on the US side of the Pacific', () => {
    const us = viewForBounds([144.6, -14.4, -64.6, 71.4], { width: 1280, height: 800 });
    expect(us.longitude).toBeGreaterThan(-180);
    expect(us.longitude).toBeLessThan(-100);
    expect(us.zoom).toBeGreaterThan(1);
  });
});
