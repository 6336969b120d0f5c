import { http, HttpResponse } from 'msw';
import { offlineStyle } from '../../scripts/offlineBasemapStyle';
import { EMULATOR_URL } from './emulatorUrl';

const emptyCollection = { type: 'FeatureCollection', features: [] };

/**
 * Every call to the CARTO platform is answered by the emulator: one truth for app and tests.
 * It is imported on the first call: a test file that makes none does not load it (about 1 s).
 */
const emulatorHandlers = [
  http.all(`${EMULATOR_URL}/*`, async ({ request }) => {
    const { testEmulator } = await import('./emulator');
    return (await testEmulator()).emulator.fetch(request);
  }),
];

/**
 * Handlers shared by every test. The offline basemap is served as the app would find it in
 * public/basemap/; CARTO's CDN is unreachable here, as on the build machines.
 */
export const handlers = [
  ...emulatorHandlers,
  http.get('*/basemap/style.json', () => HttpResponse.json(offlineStyle('light'))),
  http.get('*/basemap/style-dark.json', () => HttpResponse.json(offlineStyle('dark'))),
  http.get('*/basemap/:file', () => HttpResponse.json(emptyCollection)),
  http.get('https://basemaps.cartocdn.com/*', () => HttpResponse.error()),
];
