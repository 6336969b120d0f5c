// @vitest-environment jsdom
// @vitest-environment-options {"url": "http://localhost:5173/"}
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  BASEMAPS,
  basemapById,
  loadBasemapStyle,
  resolveBasemap,
} from '../../../src/features/map/basemaps';
import { server } from '../../mocks/server';

const positron = basemapById('positron');

describe('basemaps', () => {
  it('finds every option by its id; online styles come from CARTO over https, the offline one from the app', () => {
    for (const option of BASEMAPS) expect(basemapById(option.id)).toBe(option);
    for (const option of BASEMAPS.filter((b) => b.online))
      expect(new URL(option.style.light).protocol).toBe('https:');
    const offline = BASEMAPS.filter((b) => !b.online);
    expect(offline).toHaveLength(1);
    expect(offline[0]?.style.light.startsWith('/')).toBe(true);
    expect(offline[0]?.style.dark.startsWith('/')).toBe(true);
  });

  it('follows the light/dark mode on "auto" (Positron / Dark Matter), and keeps an explicit choice', () => {
    expect(resolveBasemap('auto', 'light').id).toBe('positron');
    expect(resolveBasemap('auto', 'dark').id).toBe('dark-matter');
    expect(resolveBasemap('voyager', 'dark').id).toBe('voyager');
    expect(resolveBasemap('positron', 'dark').id).toBe('positron');
  });

  it('loads the offline style from public/basemap, light or dark', async () => {
    const style = await loadBasemapStyle(basemapById('offline'), 'light');
    expect(style.name).toBe('Offline (Natural Earth)');
    expect(style.layers.length).toBeGreaterThan(0);
    const dark = await loadBasemapStyle(basemapById('offline'), 'dark');
    expect(dark.name).toBe('Offline (Natural Earth, dark)');
  });

  it('says why an online style failed: network, HTTP status, bad JSON, not a style', async () => {
    await expect(loadBasemapStyle(positron, 'light')).rejects.toThrow('network error');

    server.use(http.get(positron.style.light, () => new HttpResponse('nope', { status: 404 })));
    await expect(loadBasemapStyle(positron, 'light')).rejects.toThrow('answered 404');

    server.use(http.get(positron.style.light, () => new HttpResponse('{oops', { status: 200 })));
    await expect(loadBasemapStyle(positron, 'light')).rejects.toThrow('not valid JSON');

    server.use(http.get(positron.style.light, () => HttpResponse.json({ version: 7 })));
    await expect(loadBasemapStyle(positron, 'light')).rejects.toThrow('not a map style');
  });

  it('gives up after the timeout instead of leaving the map blank', async () => {
    server.use(
      http.get(positron.style.light, async () => {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        return HttpResponse.json({ version: 8, layers: [] });
      }),
    );
    await expect(loadBasemapStyle(positron, 'light', { timeoutMs: 50 })).rejects.toThrow(
      'no answer within 0.05 s',
    );
  });
});
