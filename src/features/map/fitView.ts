import { fitBounds } from '@math.gl/web-mercator';
import type { ViewState } from '../../config/configTypes';
import type { AppThunk } from '../../store/store';
import type { BBox } from '../../../protocol/geojson';
import { selectMapSize, viewStateChanged, type MapSize } from './mapSlice';

/**
 * The view that shows `[west, south, east, north]` in a map of `size`, capped at `maxZoom`.
 * West > east is a box across the antimeridian (RFC 7946 §5.2), e.g. Fiji or the US with the
 * Aleutians: the view centres on it, not on the rest of the world.
 */
export function viewForBounds(
  [west, south, east, north]: BBox,
  size: MapSize,
  maxZoom = 12,
): ViewState {
  const across = west > east;
  const { longitude, latitude, zoom } = fitBounds({
    width: Math.max(100, size.width),
    height: Math.max(100, size.height),
    bounds: [
      [across ? west : Math.max(-180, west), Math.max(-80, south)],
      [across ? east + 360 : Math.min(180, east), Math.min(80, north)],
    ],
    padding: Math.min(40, size.width / 8, size.height / 8),
  });
  const wrapped = ((((longitude + 180) % 360) + 360) % 360) - 180;
  return { longitude: wrapped, latitude, zoom: Math.min(zoom, maxZoom), pitch: 0, bearing: 0 };
}

/**
 * Moves the map to show `bounds`, using the map's real size as it last reported it (the side
 * panel may be hidden, the window any size). Before the map has measured itself, the window
 * stands in for it.
 */
export const fitMapTo =
  (bounds: BBox, { maxZoom = 12 }: { maxZoom?: number } = {}): AppThunk =>
  (dispatch, getState) => {
    const size = selectMapSize(getState()) ?? {
      width: window.innerWidth,
      height: window.innerHeight,
    };
    dispatch(viewStateChanged(viewForBounds(bounds, size, maxZoom)));
  };
