import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { DatasetsView } from '../../../src/views/datasets/DatasetsView';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { selectAllLayers } from '../../../src/features/map/mapSlice';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';
import { server } from '../../mocks/server';
import { makeOAuthTestStore, mapDrawn } from '../../utils/oauthTestStore';
import { makeApiTokenStore } from '../../utils/apiTokenStore';
import { recordRequests } from '../../utils/requestLog';
import { startLogin } from '../../../src/features/oauth/oauthThunks';
import { renderWithProviders } from '../../utils/renderWithProviders';

const WAIT = { timeout: 15_000 };

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

function renderLoggedIn() {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({
      accessToken: token,
      expiresAt: null,
      grantedScopes: ['read:connections', 'datasets:r:*'],
      user: null,
    }),
  );
  return renderWithProviders(<DatasetsView />, { store });
}

const row = async (name: string) => (await screen.findByText(name)).closest('li') ?? document.body;

describe('Datasets view', () => {
  it('adds a table as a vector layer, and quadbin and H3 tables as classed cells', async () => {
    const { store, user } = renderLoggedIn();
    await row('demo.population_h3');
    await user.click(screen.getByRole('button', { name: 'Add populated_places to the map' }));
    await user.click(screen.getByRole('button', { name: 'Add population_quadbin to the map' }));
    await user.click(screen.getByRole('button', { name: 'Add population_h3 to the map' }));
    await waitFor(() => expect(selectAllLayers(store.getState())).toHaveLength(3));
    const byTitle = (title: string) =>
      selectAllLayers(store.getState()).find((layer) => layer.title === title);
    const [places, cells, hexagons] = [
      byTitle('populated_places'),
      byTitle('population_quadbin'),
      byTitle('population_h3'),
    ];
    expect(places).toMatchObject({ kind: 'vector', title: 'populated_places' });
    expect(cells).toMatchObject({ kind: 'quadbin', title: 'population_quadbin' });
    expect(hexagons).toMatchObject({ kind: 'h3', title: 'population_h3' });
    expect(hexagons?.style.colorBins?.column).toBe('population');
    // Classes by order of magnitude up to the largest cell's population (tens of millions).
    expect(cells?.style.colorBins?.column).toBe('population');
    expect(cells?.style.colorBins?.thresholds).toEqual([100, 1e3, 1e4, 1e5, 1e6, 1e7]);
    expect(cells?.style.colorBins?.colors).toHaveLength(7);
    expect(store.getState().sources.entities['dataset:carto_dw.demo.population_h3']).toMatchObject({
      type: 'h3-table',
      data: 'demo.population_h3',
      spatialDataColumn: 'h3',
    });
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
        name: 'On map: population_quadbin',
      }).textContent,
    ).toBe('On map');
  });

  it('shows a point table as clusters: its points counted per cell by the API', async () => {
    const { store, user } = renderLoggedIn();
    await user.click(
      await screen.findByRole('button', { name: 'Show populated_places as clusters on the map' }),
    );
    // A query source: its first BigQuery SQL loads the emulator's translator (~2 s).
    await waitFor(() => expect(selectAllLayers(store.getState())).toHaveLength(1), {
      timeout: 10_000,
    });
    expect(selectAllLayers(store.getState())[0]).toMatchObject({
      kind: 'cluster',
      title: 'populated_places (clusters)',
      sourceId: 'dataset:carto_dw.demo.populated_places:clusters',
    });
    expect(
      store.getState().sources.entities['dataset:carto_dw.demo.populated_places:clusters'],
    ).toMatchObject({ type: 'quadbin-query', spatialDataColumn: 'quadbin' });
    expect(
      screen.getByRole('button', {
        name: 'Clustered: populated_places',
      }).textContent,
    ).toBe('Clustered');
    // Polygons have no clusters.
    expect(
      screen.queryByRole('button', { name: 'Show countries as clusters on the map' }),
    ).toBeNull();
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

  it('a login without read:connections (unticked at consent) asks for it instead of failing', async () => {
    const requests = recordRequests();
    const { store, popups } = makeOAuthTestStore({
      oauth: {
        scopes: ['read:current_user', 'read:connections', 'datasets:r:*', 'offline_access'],
      },
      // The user unticks "List your data warehouse connections" (its dataset scope goes with it).
      popup: { script: { kind: 'allow', scopes: ['read:current_user', 'offline_access'] } },
    });
    expect(await store.dispatch(startLogin())).toBe(true);
    expect(store.getState().oauth.session?.grantedScopes).not.toContain('read:connections');
    const { user } = renderWithProviders(<DatasetsView />, { store });

    expect(screen.getByRole('status').textContent).toMatch(
      /needs a permission you have not given: List your data warehouse connections/,
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/Could not list your datasets/)).toBeNull();
    // Nothing was asked of the platform that it would refuse.
    expect(requests.count('/v3/connections')).toBe(0);

    // Incremental consent: a new login asking for what was configured, read:connections too.
    await user.click(screen.getByRole('button', { name: 'Allow it and log in again' }));
    await waitFor(() => expect(popups).toHaveLength(2));
    await waitFor(() => expect(popups[1]!.navigations).not.toHaveLength(0));
    expect(new URL(popups[1]!.navigations[0]!).searchParams.get('scope')?.split(' ')).toContain(
      'read:connections',
    );
  });

  it('with an API access token (no login): lists what the token reads, and its widgets', async () => {
    const store = makeApiTokenStore();
    mapDrawn(store);
    const { user } = renderWithProviders(<DatasetsView />, { store });
    await user.click(
      await screen.findByRole('button', { name: 'Add populated_places to the map' }),
    );
    // The token reads that table only: the other sample tables are not listed.
    expect(screen.queryByText('demo.retail_stores')).toBeNull();
    await user.click(
      await screen.findByRole('button', { name: 'Widgets of populated_places' }, WAIT),
    );
    const panel = await screen.findByRole('region', { name: 'populated_places widgets' }, WAIT);
    expect(within(panel).queryByText(/needs a permission/)).toBeNull();
    expect(within(panel).queryByRole('button', { name: 'Allow it and log in again' })).toBeNull();
    await waitFor(
      () =>
        expect(within(panel).getByRole('region', { name: 'Features' }).textContent).toMatch(/\d/),
      WAIT,
    );
  });
});
