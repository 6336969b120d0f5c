import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { StoresView } from '../../../src/views/stores/StoresView';
import { IsochroneView } from '../../../src/views/isochrones/IsochroneView';
import { DatasetsView } from '../../../src/views/datasets/DatasetsView';
import { layerRemoved, selectAllLayers } from '../../../src/features/map/mapSlice';
import {
  loginSucceeded,
  sessionExpired,
  tokenRefreshed,
} from '../../../src/features/oauth/oauthSlice';
import { defaultStyle } from '../../../src/views/datasets/datasetLayer';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';
import { sampleDataEmulator } from '../../mocks/emulator';

let token: string;
sampleDataEmulator((t) => {
  token = t;
});

function loggedInStore() {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({
      accessToken: token,
      expiresAt: null,
      grantedScopes: ['dataservices:isolines'],
      user: null,
    }),
  );
  return store;
}

describe('views, logged out', () => {
  it.each([
    [<StoresView key="s" />, 'Log in with CARTO to see the stores on the map.'],
    [
      <IsochroneView key="i" />,
      'Log in with CARTO to see the area reachable from a point or a store.',
    ],
    [<DatasetsView key="d" />, 'Log in with CARTO to see your datasets.'],
  ])('say what to do, and add nothing to the map (%#)', (view, text) => {
    const { store } = renderWithProviders(view);
    expect(screen.getByText(text)).toBeInTheDocument();
    expect(screen.queryByText(/permission/)).toBeNull();
    expect(selectAllLayers(store.getState())).toEqual([]);
  });
});

describe('views, logged in', () => {
  it('the Stores view moves the map to the stores when it opens', () => {
    const store = loggedInStore();
    const before = store.getState().map.viewState;
    renderWithProviders(<StoresView />, { store });
    const view = store.getState().map.viewState;
    expect(view).not.toEqual(before);
    expect(view.longitude).toBeGreaterThan(-125);
    expect(view.longitude).toBeLessThan(-66);
    expect(view.latitude).toBeGreaterThan(24);
    expect(view.latitude).toBeLessThan(50);
  });

  it('an expired session keeps the Stores view, its layer and the map where they are', async () => {
    const store = loggedInStore();
    renderWithProviders(<StoresView />, { store });
    const view = store.getState().map.viewState;
    store.dispatch(sessionExpired());
    // Not the logged-out hint: unmounting would take the layer off the map.
    await waitFor(() => expect(store.getState().oauth.status).toBe('expired'));
    expect(screen.queryByText('Log in with CARTO to see the stores on the map.')).toBeNull();
    expect(selectAllLayers(store.getState()).map((l) => l.id)).toEqual(['stores-layer']);
    // Logged in again: the view is not fitted to the stores a second time.
    store.dispatch(tokenRefreshed({ accessToken: token, expiresAt: null }));
    expect(selectAllLayers(store.getState()).map((l) => l.id)).toEqual(['stores-layer']);
    expect(store.getState().map.viewState).toEqual(view);
  });

  it('a view whose own layer was removed offers it back', async () => {
    const store = loggedInStore();
    const { user } = renderWithProviders(<StoresView />, { store });
    expect(selectAllLayers(store.getState()).map((l) => l.id)).toEqual(['stores-layer']);
    store.dispatch(layerRemoved('stores-layer'));
    const notice = await screen.findByText(/The “Retail stores” layer was removed/);
    expect(notice).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add it back' }));
    await waitFor(() =>
      expect(selectAllLayers(store.getState()).map((l) => l.id)).toEqual(['stores-layer']),
    );
    expect(screen.queryByText(/was removed/)).toBeNull();
  });
});

describe('dataset layer colours', () => {
  it('the n-th dataset layer gets the n-th colour, for every geometry type', () => {
    const fills = [0, 1, 2].map((i) => JSON.stringify(defaultStyle('Point', i).fillColor));
    expect(new Set(fills).size).toBe(3);
    expect(defaultStyle('MultiPolygon', 1).fillColor).not.toEqual(
      defaultStyle('MultiPolygon', 0).fillColor,
    );
    expect(defaultStyle('LineString', 4).lineColor).not.toEqual(
      defaultStyle('LineString', 5).lineColor,
    );
  });
});
