/** The Stores view's widgets, rendered logged in against the emulator: shared by their tests. */
import { expect } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import StoresWidgets from '../../src/views/stores/StoresWidgets';
import { STORES_SOURCE } from '../../src/data/sources';
import { addSource } from '../../src/features/sources/sourcesSlice';
import type { MapSize } from '../../src/features/map/mapSlice';
import { loginSucceeded } from '../../src/features/oauth/oauthSlice';
import { sampleDataEmulator } from '../mocks/emulator';
import { makeOAuthTestStore, mapDrawn } from './oauthTestStore';
import { renderWithProviders } from './renderWithProviders';

export const WAIT = { timeout: 15_000 };

/**
 * Starts the sample-data emulator for the test file (call it at the top level) and gives a
 * renderer of the widgets, logged in with `grantedScopes`, over the stores source.
 */
export function storesWidgetsHarness() {
  let token = '';
  sampleDataEmulator((t) => {
    token = t;
  });
  return function renderWidgets(
    grantedScopes = ['read:connections'],
    {
      // Wide enough that the default view (zoom 1.6) shows the whole world: no spatial filter.
      // Null: the map has not drawn itself yet.
      mapSize = { width: 1600, height: 900 },
    }: { mapSize?: MapSize | null } = {},
  ) {
    const { store } = makeOAuthTestStore();
    store.dispatch(
      loginSucceeded({ accessToken: token, expiresAt: null, grantedScopes, user: null }),
    );
    store.dispatch(addSource(STORES_SOURCE));
    if (mapSize) mapDrawn(store, mapSize);
    return renderWithProviders(<StoresWidgets />, { store });
  };
}

/** A widget (or the panel) by its accessible name. */
export const widget = (name: string) => screen.getByRole('region', { name });

/** Every widget has its answer (none is loading). */
export const allSettled = () =>
  waitFor(() => {
    const widgets = within(widget('Store widgets')).getAllByRole('region');
    expect(widgets.length).toBeGreaterThanOrEqual(8);
    for (const region of widgets) expect(region.getAttribute('aria-busy')).toBe('false');
  }, WAIT);
