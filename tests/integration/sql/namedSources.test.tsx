import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configure, screen, waitFor, within } from '@testing-library/react';
import { clearDefaultRequestCache } from '@carto/api-client';
import { SqlView } from '../../../src/views/sql/SqlView';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { selectAllLayers } from '../../../src/features/map/mapSlice';
import type { AppStore } from '../../../src/store/store';
import { m2mToken, resetTestEmulator, sharedDatabase } from '../../mocks/emulator';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';
import { rangeRectsForCodeMirror } from './jsdomRange';
import { write } from './editor';

rangeRectsForCodeMirror();
configure({ asyncUtilTimeout: 10_000 });

const BIG_CITIES =
  'SELECT name, population, geom FROM demo.populated_places WHERE population > 5000000';
let token: string;

beforeAll(async () => {
  await resetTestEmulator({
    data: await sharedDatabase(),
    config: {
      connections: [
        {
          name: 'carto_dw',
          owner: 'auth0|demo',
          organization: 'org_demo',
          namedSources: [{ name: 'big-cities', sql: BIG_CITIES, description: 'Over 5 million' }],
        },
      ],
    },
  });
  token = await m2mToken();
}, 30_000);

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  clearDefaultRequestCache();
});

function loggedInStore(): AppStore {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({
      accessToken: token,
      expiresAt: null,
      grantedScopes: [],
      user: { id: 'auth0|demo', name: 'Demo User' },
    }),
  );
  return store;
}

async function openNamedSources(user: ReturnType<typeof renderWithProviders>['user']) {
  await user.click(screen.getByRole('button', { name: 'Named sources' }));
  return screen.findByRole('list', { name: 'Named sources' });
}

describe('named sources in the SQL console', { timeout: 60_000 }, () => {
  it('lists them, loads one’s SQL, and puts one on the map by its name', async () => {
    const store = loggedInStore();
    const { user } = renderWithProviders(<SqlView />, { store });
    const view = await write('SELECT 1');
    const list = await openNamedSources(user);
    expect(within(list).getByText('big-cities')).toBeTruthy();
    expect(within(list).getByText('Over 5 million')).toBeTruthy();
    // Not the user's own: it cannot be deleted from here.
    expect(within(list).queryByRole('button', { name: 'Delete big-cities' })).toBeNull();

    await user.click(
      within(list).getByRole('button', { name: 'Load SQL of big-cities into the editor' }),
    );
    expect(view.state.doc.toString()).toBe(BIG_CITIES);

    await user.click(within(list).getByRole('button', { name: 'Add big-cities to the map' }));
    await waitFor(() => expect(selectAllLayers(store.getState())).toHaveLength(1));
    expect(selectAllLayers(store.getState())[0]).toMatchObject({
      kind: 'vector',
      title: 'big-cities',
      sourceId: 'named:big-cities',
    });
    // The name travels, not the SQL.
    expect(store.getState().sources.entities['named:big-cities']).toMatchObject({
      type: 'query',
      connection: 'carto_dw',
      data: 'big-cities',
    });
    expect(within(list).getByRole('button', { name: 'On map: big-cities' }).textContent).toBe(
      'On map',
    );
  });

  it('saves the query under a name, replaces its SQL, and deletes it; bad names are explained', async () => {
    const { user } = renderWithProviders(<SqlView />, { store: loggedInStore() });
    await write("SELECT name, geom FROM demo.populated_places WHERE country = 'ES'");
    await openNamedSources(user);
    const name = screen.getByRole('textbox', { name: 'Name' });

    await user.type(name, 'Bad Name');
    await user.click(screen.getByRole('button', { name: 'Save query' }));
    expect(await screen.findByText(/Use lowercase letters, digits/)).toBeTruthy();

    await user.clear(name);
    await user.type(name, 'spanish-places');
    await user.click(screen.getByRole('button', { name: 'Save query' }));
    expect((await screen.findByRole('status')).textContent).toBe('Saved spanish-places.');
    const list = screen.getByRole('list', { name: 'Named sources' });
    expect(await within(list).findByText('spanish-places')).toBeTruthy();

    // The name is now the user's: saving again replaces its SQL.
    await write("SELECT name, geom FROM demo.populated_places WHERE country = 'PT'");
    expect(screen.getByText('Yours: saving replaces its SQL.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Replace' }));
    await waitFor(() => expect(within(list).getByTitle(/country = 'PT'/)).toBeTruthy());

    await user.click(within(list).getByRole('button', { name: 'Delete spanish-places' }));
    await waitFor(() => expect(within(list).queryByText('spanish-places')).toBeNull());
  });

  it('a query the server refuses is not saved, and says why', async () => {
    const { user } = renderWithProviders(<SqlView />, { store: loggedInStore() });
    await write('SELEC oops');
    await openNamedSources(user);
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'broken-query');
    await user.click(screen.getByRole('button', { name: 'Save query' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Could not save the query as broken-query: .*syntax/i);
    const list = screen.getByRole('list', { name: 'Named sources' });
    expect(within(list).queryByText('broken-query')).toBeNull();
  });
});
