import { fitBounds } from '@math.gl/web-mercator';
import type { ViewState } from '../../config/configTypes';
import { HEADER_HEIGHT, SIDE_PANEL_WIDTH } from '../../layout';

/** The view that shows `[west, south, east, north]` in the map area, capped at `maxZoom`. */
export function viewForBounds(
  [west, south, east, north]: [number, number, number, number],
  maxZoom = 12,
): ViewState {
  const { longitude, latitude, zoom } = fitBounds({
    width: Math.max(200, window.innerWidth - SIDE_PANEL_WIDTH),
    height: Math.max(200, window.innerHeight - HEADER_HEIGHT),
    bounds: [
      [Math.max(-179, west), Math.max(-80, south)],
      [Math.min(179, east), Math.min(80, north)],
    ],
    padding: 40,
  });
  return { longitude, latitude, zoom: Math.min(zoom, maxZoom), pitch: 0, bearing: 0 };
}

/** Bounds of GeoJSON coordinates (any nesting). */
export function boundsOf(coordinates: unknown): [number, number, number, number] {
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
      bounds[0] = Math.min(bounds[0], c[0]);
      bounds[1] = Math.min(bounds[1], c[1]);
      bounds[2] = Math.max(bounds[2], c[0]);
      bounds[3] = Math.max(bounds[3], c[1]);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  visit(coordinates);
  return bounds;
}
