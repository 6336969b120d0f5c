import { http, HttpResponse } from 'msw';
import { offlineStyle } from '../../scripts/offlineBasemapStyle';

const emptyCollection = { type: 'FeatureCollection', features: [] };

/**
 * Handlers shared by every test. The offline basemap is served as the app would find it in
 * public/basemap/; CARTO's CDN is unreachable here, as on the build machines.
 */
export const handlers = [
  http.get('*/basemap/style.json', () => HttpResponse.json(offlineStyle())),
  http.get('*/basemap/:file', () => HttpResponse.json(emptyCollection)),
  http.get('https://basemaps.cartocdn.com/*', () => HttpResponse.error()),
];
