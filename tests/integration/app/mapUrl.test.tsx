/**
 * A styled map is a link: the app opened at a link shows its view, basemap and layers, and a
 * change on the map rewrites the link in place (no new history entry, the router's state kept).
 */
import { act, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Root } from '../../../src/Root';
import { decodeMapHash, encodeMapHash } from '../../../src/features/map/mapUrl';
import {
  layerAdded,
  layerRemoved,
  mapStateFromConfig,
  type LayerConfig,
} from '../../../src/features/map/mapSlice';
import { sourceAdded, type SourceDescriptor } from '../../../src/features/sources/sourcesSlice';
import { initialState as appConfig } from '../../../src/store/initialStateSlice';
import { windowMapUrl } from '../../../src/store/listeners';
import { filterAdded, widgetAdded } from '../../../src/features/widgets/widgetsSlice';
import { makeStore, preloadedStateFromUrl } from '../../../src/store/store';
import { server } from '../../mocks/server';
import { fakeMap } from '../../utils/fakeMapGL';
import { renderWithProviders } from '../../utils/renderWithProviders';

const source: SourceDescriptor = {
  id: 'stores',
  type: 'table',
  connection: 'carto_dw',
  data: 'demo.retail_stores',
};
const layer: LayerConfig = {
  id: 'stores-layer',
  sourceId: 'stores',
  kind: 'vector',
  title: 'Retail stores',
  visible: true,
  style: { fillColor: [3, 111, 226, 255], pointRadius: 4 },
  idColumn: 'cartodb_id',
};

/** The link someone shared: Madrid at zoom 11 on Voyager, with the stores layer. */
function sharedLink(): string {
  const store = makeStore();
  store.dispatch(sourceAdded(source));
  store.dispatch(layerAdded(layer));
  const map = {
    ...mapStateFromConfig({
      viewState: { longitude: -3.7038, latitude: 40.4168, zoom: 11, pitch: 0, bearing: 0 },
      basemap: 'voyager',
    }),
    layers: store.getState().map.layers,
  };
  return encodeMapHash({ map, sources: store.getState().sources });
}

beforeEach(() => {
  fakeMap.props = null;
  server.use(
    http.get('https://basemaps.cartocdn.com/gl/voyager-gl-style/style.json', () =>
      HttpResponse.json({ version: 8, name: 'Voyager', sources: {}, layers: [] }),
    ),
  );
});
afterEach(() => {
  window.history.replaceState(null, '', '/');
});

describe('the map link', () => {
  it('opens at the link’s view and basemap, with its layers (they draw once logged in)', async () => {
    window.history.replaceState(null, '', `/?from=mail${sharedLink()}`);
    const store = makeStore(await preloadedStateFromUrl(appConfig, window.location.hash), {
      mapUrl: windowMapUrl(window),
    });
    renderWithProviders(<Root appName="App" />, { store });

    expect(
      await screen.findByRole('switch', { name: 'Show Retail stores' }, { timeout: 15_000 }),
    ).toBeChecked();
    expect(store.getState().sources.entities.stores).toEqual(source);
    expect(store.getState().map.basemap).toBe('voyager');
    const map = await screen.findByTestId('fake-map', {}, { timeout: 5000 });
    await waitFor(() => expect(map).toHaveAttribute('data-style-name', 'Voyager'));
    expect(map).toHaveAttribute('data-zoom', '11');
    expect(map).toHaveAttribute('data-latitude', '40.4168');
    expect(map).toHaveAttribute('data-longitude', '-3.7038');
  });

  it('is rewritten in place after a change: no new history entry, path, query and router state kept', async () => {
    window.history.replaceState(null, '', `/?from=mail${sharedLink()}`);
    const store = makeStore(await preloadedStateFromUrl(appConfig, window.location.hash), {
      mapUrl: windowMapUrl(window),
    });
    const { user } = renderWithProviders(<Root appName="App" />, { store });
    const toggle = await screen.findByRole(
      'switch',
      { name: 'Show Retail stores' },
      { timeout: 15_000 },
    );
    // The router has put its own state (key, index) in history.state by now.
    const routerState: unknown = window.history.state;
    expect(routerState).toMatchObject({ idx: expect.any(Number) as unknown });
    const entries = window.history.length;

    await user.click(toggle);
    await waitFor(
      () => expect(decodeMapHash(window.location.hash).layers[0]?.visible).toBe(false),
      { timeout: 3000 },
    );
    expect(window.location.pathname).toBe('/');
    expect(window.location.search).toBe('?from=mail');
    expect(window.history.length).toBe(entries);
    expect(window.history.state).toEqual(routerState);
    expect(window.location.hash).toMatch(/^#map=11\/40\.4168\/-3\.7038&basemap=voyager&layers=/);

    // Removing the layer takes it out of the link; the view stays.
    act(() => {
      store.dispatch(layerRemoved('stores-layer'));
    });
    await waitFor(
      () => expect(window.location.hash).toBe('#map=11/40.4168/-3.7038&basemap=voyager'),
      { timeout: 3000 },
    );
    expect(window.history.length).toBe(entries);
  });

  it('survives switching views (the tabs keep the hash)', async () => {
    window.history.replaceState(null, '', `/${sharedLink()}`);
    const link = window.location.hash;
    const store = makeStore(await preloadedStateFromUrl(appConfig, link), {
      mapUrl: windowMapUrl(window),
    });
    const { user } = renderWithProviders(<Root appName="App" />, { store });
    await user.click(await screen.findByRole('tab', { name: 'Stores' }, { timeout: 5000 }));
    await waitFor(() => expect(window.location.pathname).toBe('/stores'));
    expect(window.location.hash).toBe(link);
  });

  it('carries the widgets’ filters and panels: a filtered view reopens filtered', async () => {
    window.history.replaceState(null, '', `/${sharedLink()}`);
    const store = makeStore(await preloadedStateFromUrl(appConfig, window.location.hash), {
      mapUrl: windowMapUrl(window),
    });
    renderWithProviders(<Root appName="App" />, { store });
    await screen.findByRole('switch', { name: 'Show Retail stores' }, { timeout: 15_000 });
    act(() => {
      store.dispatch(
        filterAdded({
          sourceId: 'stores',
          column: 'store_type',
          type: 'in',
          values: ['Pharmacy'],
          owner: 'stores-type',
        }),
      );
      store.dispatch(
        widgetAdded({
          sourceId: 'stores',
          spec: { id: 'w1', type: 'histogram', title: 'Revenue', column: 'revenue', bins: 8 },
        }),
      );
    });
    await waitFor(() => expect(window.location.hash).toMatch(/&filters=.+&widgets=/), {
      timeout: 3000,
    });

    // Opened again from that address: the same filters and widgets.
    const reopened = makeStore(await preloadedStateFromUrl(appConfig, window.location.hash));
    expect(reopened.getState().widgets).toEqual(store.getState().widgets);
    expect(reopened.getState().sources.entities.stores).toEqual(source);
  });
});
