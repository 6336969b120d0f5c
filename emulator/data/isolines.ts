import type { Polygon } from 'geojson';
import { QueryError } from './database';

/** Average speeds (m/s) for the approximation: walking 5 km/h, driving 40 km/h in town. */
export const SPEED = { walk: 5 / 3.6, car: 40 / 3.6 } as const;
const EARTH_RADIUS = 6_371_000;

/**
 * An isoline without a road network: the distance reachable at an average speed, shaped
 * (driving stretches along four "arterials", walking is nearly round). An approximation,
 * said so in each feature's properties; the real service uses road networks.
 */
export function approximateIsoline(
  lng: number,
  lat: number,
  mode: 'walk' | 'car',
  meters: number,
): Polygon {
  const ring: [number, number][] = [];
  const steps = 72;
  for (let i = 0; i <= steps; i++) {
    const angle = (i % steps) * ((2 * Math.PI) / steps);
    const shape =
      mode === 'car'
        ? 0.7 + 0.3 * Math.abs(Math.cos(2 * angle)) ** 3
        : 0.92 + 0.08 * Math.cos(3 * angle + 0.7);
    const d = (meters * shape) / EARTH_RADIUS;
    const lat1 = (lat * Math.PI) / 180;
    const lng1 = (lng * Math.PI) / 180;
    const lat2 = Math.asin(
      Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(angle),
    );
    const lng2 =
      lng1 +
      Math.atan2(
        Math.sin(angle) * Math.sin(d) * Math.cos(lat1),
        Math.cos(d) - Math.sin(lat1) * Math.sin(lat2),
      );
    ring.push([
      Math.round(((lng2 * 180) / Math.PI) * 1e6) / 1e6,
      Math.round(((lat2 * 180) / Math.PI) * 1e6) / 1e6,
    ]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

export function parseOrigin(raw: string | undefined): [number, number] {
  const parts = (raw ?? '').split(',').map((p) => Number(p.trim()));
  const [lat, lng] = parts;
  if (
    parts.length !== 2 ||
    lat === undefined ||
    lng === undefined ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lng) ||
    Math.abs(lat) > 90 ||
    Math.abs(lng) > 180
  ) {
    throw new QueryError('origin must be "<latitude>,<longitude>".');
  }
  return [lat, lng];
}
