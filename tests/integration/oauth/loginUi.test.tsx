import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { Root } from '../../../src/Root';
import { RequireScope } from '../../../src/features/oauth/RequireScope';
import { sessionExpired } from '../../../src/features/oauth/oauthSlice';
import { resetTestEmulator } from '../../mocks/emulator';
import { renderWithProviders } from '../../utils/renderWithProviders';
import { addUserWork, makeOAuthTestStore } from '../../utils/oauthTestStore';
import { FakePopup } from '../../utils/fakePopup';

beforeEach(async () => {
  await resetTestEmulator();
});

describe('forceOAuthLogin', () => {
  it('the first screen is a login screen listing the permissions in plain words; login opens the app', async () => {
    const { store } = makeOAuthTestStore({ oauth: { forceOAuthLogin: true } });
    const { user } = renderWithProviders(<Root appName="Store Finder" />, { store });
    expect(screen.getByRole('heading', { name: 'Store Finder' })).toBeInTheDocument();
    const permissions = screen.getByRole('list', { name: 'Requested permissions' });
    expect(
      within(permissions).getByText('See your user profile (name, email, organization)'),
    ).toBeInTheDocument();
    expect(within(permissions).getByText('Read all your datasets')).toBeInTheDocument();
    expect(screen.queryByRole('complementary', { name: 'Side panel' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Login with CARTO' }));
    expect(
      await screen.findByRole('complementary', { name: 'Side panel' }, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: /^Account: Demo User/ })).toBeInTheDocument();
  });

  it('a denied login stays on the login screen with the reason and a retry that works', async () => {
    const { store, runtime } = makeOAuthTestStore({
      oauth: { forceOAuthLogin: true },
      popup: { script: { kind: 'deny' } },
    });
    const { user } = renderWithProviders(<Root appName="App" />, { store });
    await user.click(screen.getByRole('button', { name: 'Login with CARTO' }));
    // The whole login against the emulator, and the file's first: as long as the retry's wait.
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('You did not allow access');
    runtime.openPopup = () => new FakePopup().asWindow();
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('complementary', { name: 'Side panel' }, { timeout: 5000 }),
    ).toBeInTheDocument();
  });
});

describe('header', () => {
  it('shows the user with a menu of granted scopes, token expiry and Logout', async () => {
    const { store, runtime } = makeOAuthTestStore();
    const { user } = renderWithProviders(<Root appName="App" />, { store });
    await user.click(screen.getByRole('button', { name: 'Login with CARTO' }));
    const account = await screen.findByRole('button', { name: /^Account: Demo User/ });
    expect(account).toHaveTextContent('Demo Org');
    await user.click(account);
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByText('Permissions granted')).toBeInTheDocument();
    expect(
      within(menu).getByText('Stay logged in (renew access without asking you again)'),
    ).toBeInTheDocument();
    expect(within(menu).getByTestId('token-expiry')).toHaveTextContent(/Expires in [45] min/);
    await user.click(within(menu).getByRole('menuitem', { name: 'Log out' }));
    await waitFor(() => expect(runtime.navigate).toHaveBeenCalled());
    expect(store.getState().oauth.session).toBeNull();
    expect(await screen.findByRole('button', { name: 'Login with CARTO' })).toBeInTheDocument();
  });

  it('a closed login window says so plainly, with no developer hint, and can be dismissed', async () => {
    const { store } = makeOAuthTestStore({
      popup: { script: { kind: 'close', afterMs: 150 } },
      runtime: { waitOptions: { pollMs: 20, closedGraceMs: 100 } },
    });
    const { user } = renderWithProviders(<Root appName="App" />, { store });
    await user.click(screen.getByRole('button', { name: 'Login with CARTO' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('The login window was closed before the login finished.');
    expect(alert).not.toHaveTextContent('oauth-callback.html');
    expect(within(alert).queryByRole('link')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Login with CARTO' })).toBeEnabled();
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('session expired', () => {
  it('a non-blocking prompt; logging in again keeps sources, layers and view', async () => {
    const { store } = makeOAuthTestStore();
    const { user } = renderWithProviders(<Root appName="App" />, { store });
    await user.click(screen.getByRole('button', { name: 'Login with CARTO' }));
    await screen.findByRole('button', { name: /^Account: Demo User/ });
    addUserWork(store);
    const before = { sources: store.getState().sources, map: store.getState().map };
    store.dispatch(sessionExpired());

    const banner = await screen.findByText(/Your CARTO session expired/);
    expect(screen.getByRole('complementary', { name: 'Side panel' })).toBeInTheDocument();
    await user.click(
      within(banner.closest('[role=status]')!).getByRole('button', {
        name: 'Log in again',
      }),
    );
    await waitFor(() => expect(store.getState().oauth.status).toBe('authenticated'));
    expect(screen.queryByText(/Your CARTO session expired/)).not.toBeInTheDocument();
    expect(store.getState().sources).toBe(before.sources);
    expect(store.getState().map).toBe(before.map);
  });
});

describe('incremental consent', () => {
  it('a feature that needs an ungranted scope says so and asks for it', async () => {
    const { store, popups } = makeOAuthTestStore({
      oauth: { scopes: ['read:current_user', 'offline_access'] },
    });
    const { user } = renderWithProviders(
      <>
        <Root appName="App" />
        <RequireScope scope="dataservices:isolines">
          <p>Isochrones ready</p>
        </RequireScope>
      </>,
      { store },
    );
    await user.click(screen.getByRole('button', { name: 'Login with CARTO' }));
    await screen.findByRole('button', { name: /^Account: Demo User/ });
    // The isolines notice's own button (a view may show another scope's notice beside it).
    const notice = screen
      .getByText(/Compute areas reachable in a given time/)
      .closest('[role=status]');
    if (!(notice instanceof HTMLElement)) throw new Error('no notice around the isolines text');
    await user.click(within(notice).getByRole('button', { name: 'Allow it and log in again' }));
    expect(await screen.findByText('Isochrones ready')).toBeInTheDocument();
    const asked = new URL(popups[1]!.navigations[0]!).searchParams.get('scope');
    expect(asked?.split(' ')).toEqual([
      'read:current_user',
      'offline_access',
      'dataservices:isolines',
    ]);
  });
});
