import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { DatasetsView } from '../../../src/views/datasets/DatasetsView';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { selectAllLayers } from '../../../src/features/map/mapSlice';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';
import { server } from '../../mocks/server';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

function renderLoggedIn() {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({ accessToken: token, expiresAt: null, grantedScopes: [], user: null }),
  );
  return renderWithProviders(<DatasetsView />, { store });
}

const row = async (name: string) => (await screen.findByText(name)).closest('li') ?? document.body;

describe('Datasets view', () => {
  it('adds a table as a vector layer and a quadbin table as classed cells', async () => {
    const { store, user } = renderLoggedIn();
    const h3 = await row('demo.population_h3');
    expect(within(h3).getByText(/not drawable yet/)).toBeTruthy();
    expect(within(h3).getByRole('button', { name: 'Add population_h3 to the map' })).toHaveProperty(
      'disabled',
      true,
    );

    await user.click(screen.getByRole('button', { name: 'Add populated_places to the map' }));
    await user.click(screen.getByRole('button', { name: 'Add population_quadbin to the map' }));
    await waitFor(() => expect(selectAllLayers(store.getState())).toHaveLength(2));
    const [places, cells] = selectAllLayers(store.getState());
    expect(places).toMatchObject({ kind: 'vector', title: 'populated_places' });
    expect(cells).toMatchObject({ kind: 'quadbin', title: 'population_quadbin' });
    // Classes by order of magnitude up to the largest cell's population (tens of millions).
    expect(cells?.style.colorBins?.column).toBe('population');
    expect(cells?.style.colorBins?.thresholds).toEqual([100, 1e3, 1e4, 1e5, 1e6, 1e7]);
    expect(cells?.style.colorBins?.colors).toHaveLength(7);
    expect(store.getState().sources.entities['dataset:carto_dw.demo.population_quadbin']).toEqual({
      id: 'dataset:carto_dw.demo.population_quadbin',
      type: 'quadbin-table',
      connection: 'carto_dw',
      data: 'demo.population_quadbin',
      spatialDataColumn: 'quadbin',
      aggregationExp: 'SUM("population") AS "population", SUM("places") AS "places"',
    });
    expect(
      within(await row('demo.population_quadbin')).getByRole('button', {
        name: 'Add population_quadbin to the map',
      }).textContent,
    ).toBe('On map');
  });

  it('a brief 503 from the Maps API is tried again by itself: the layer is added', async () => {
    let failures = 1;
    server.use(
      http.get(`${EMULATOR_URL}/v3/maps/:connection/table`, () => {
        if (failures-- > 0)
          return HttpResponse.json({ error: 'Maps API is restarting' }, { status: 503 });
        return undefined;
      }),
    );
    const { store, user } = renderLoggedIn();
    await user.click(
      await screen.findByRole('button', { name: 'Add population_quadbin to the map' }),
    );
    await waitFor(() => expect(selectAllLayers(store.getState())).toHaveLength(1), {
      timeout: 10_000,
    });
    expect(failures).toBe(-1);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a failed add says what failed, keeps the map as it was, and Retry works', async () => {
    // Down for the first ask and both of its retries (transientRetry.ts).
    let failures = 3;
    server.use(
      http.get(`${EMULATOR_URL}/v3/maps/:connection/table`, () => {
        if (failures-- > 0)
          return HttpResponse.json({ error: 'Maps API is down' }, { status: 503 });
        return undefined;
      }),
    );
    const { store, user } = renderLoggedIn();
    await user.click(
      await screen.findByRole('button', { name: 'Add population_quadbin to the map' }),
    );
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toMatch(/Could not add it: [\s\S]*Maps API is down/);
    expect(selectAllLayers(store.getState())).toEqual([]);
    expect(store.getState().sources.ids).toEqual([]);
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(selectAllLayers(store.getState())).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
