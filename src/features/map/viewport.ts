import { createSelector } from '@reduxjs/toolkit';
import { WebMercatorViewport } from '@math.gl/web-mercator';
import type { BBox } from '../../../protocol/geojson';
import { selectMapSize, selectViewState } from './mapSlice';

const round = (value: number) => Math.round(value * 1e4) / 1e4;
const wrap180 = (lng: number) =>
  lng >= -180 && lng <= 180 ? lng : ((((lng + 180) % 360) + 360) % 360) - 180;

/**
 * What the map shows, as [west, south, east, north] (west > east across the antimeridian), from
 * the view the store holds (written once the map settles) and the map's size. Undefined until
 * the map has measured itself (what it shows is not known yet), null when the whole world's
 * width is in view (nothing to filter).
 * Rounded to about 10 m, so the same view gives the same bounds (and cached widget answers).
 */
export const selectViewportBounds = createSelector(
  [selectViewState, selectMapSize],
  (view, size): BBox | null | undefined => {
    if (!size || size.width <= 0 || size.height <= 0) return undefined;
    const viewport = new WebMercatorViewport({ ...view, width: size.width, height: size.height });
    const [[west = -180, south = -90], [east = 180, north = 90]] = viewport.getBounds() as [
      number[],
      number[],
    ];
    if (east - west >= 360) return null;
    return [round(wrap180(west)), round(south), round(wrap180(east)), round(north)];
  },
);
