/**
 * Failures stay inside one part of the screen: a view, a view's chunk, the map (no WebGL), the
 * user menu, the workspace. The rest of the app, the store and the login keep working.
 */
import { createElement, useEffect, type ReactNode } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Root } from '../../../src/Root';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import type { AppStore } from '../../../src/store/store';
import { sampleDataEmulator } from '../../mocks/emulator';
import { addUserWork, makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

/** What each mocked module does in the current test. */
const broken = vi.hoisted(() => ({
  storesView: false,
  sqlChunk: false,
  webgl: false,
  userMenu: false,
  workspace: false,
}));

const CHUNK_ERROR = 'Failed to fetch dynamically imported module: http://x/assets/SqlView-abc.js';
const WEBGL_ERROR = 'WebGL2 is required to display this map, and this browser could not start it';

vi.mock('../../../src/views/stores/StoresView', () => ({
  StoresView: () => {
    if (broken.storesView) throw new Error('Cannot read properties of undefined (reading "x")');
    return createElement('p', null, 'Stores view content');
  },
}));

// The chunk "is gone": reading the module's export fails as a failed dynamic import would.
vi.mock('../../../src/views/sql/SqlView', () => {
  const module = {};
  Object.defineProperty(module, 'SqlView', {
    enumerable: true,
    get: () => {
      if (broken.sqlChunk) throw new TypeError(CHUNK_ERROR);
      return () => createElement('p', null, 'SQL view content');
    },
  });
  return module;
});

vi.mock('../../../src/features/oauth/UserMenu', () => ({
  default: () => {
    if (broken.userMenu) throw new Error('The menu broke');
    return createElement('button', { type: 'button' }, 'Account menu');
  },
}));

vi.mock('../../../src/Workspace', async (importOriginal) => {
  const real = await importOriginal<{ default: () => ReactNode }>();
  return {
    default: () => {
      if (broken.workspace) throw new Error('The workspace broke');
      return createElement(real.default);
    },
  };
});

interface MapProps {
  onError?: (event: { error: unknown }) => void;
  mapStyle: { name?: string };
  [prop: string]: unknown;
}

/** The usual fake map, which reports maplibre's WebGL failure when `broken.webgl` is set. */
function MaybeWebGLFailingMap(props: MapProps) {
  const { onError } = props;
  useEffect(() => {
    if (broken.webgl)
      onError?.({
        error: Object.assign(new Error(WEBGL_ERROR), { name: 'GPUInitializationError' }),
      });
  }, [onError]);
  return createElement(fakeMapComponent.current, props);
}
const fakeMapComponent: { current: (props: MapProps) => ReactNode } = { current: () => null };

vi.mock('react-map-gl/maplibre', async () => {
  const fakeReactMapGL = await import('../../utils/fakeMapGL');
  fakeMapComponent.current = fakeReactMapGL.default as unknown as (props: MapProps) => ReactNode;
  return { ...fakeReactMapGL, default: MaybeWebGLFailingMap, Map: MaybeWebGLFailingMap };
});

let token = '';
sampleDataEmulator((t) => {
  token = t;
});

beforeEach(() => {
  for (const key of Object.keys(broken) as (keyof typeof broken)[]) broken[key] = false;
  // React reports the errors its boundaries catch; they are expected here.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  window.history.pushState({}, '', '/');
});

afterEach(() => {
  window.history.pushState({}, '', '/');
});

const USER = { id: 'u1', name: 'Ann Example' };

function loggedInStore(): AppStore {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({
      accessToken: token,
      expiresAt: null,
      grantedScopes: ['read:connections'],
      user: USER,
    }),
  );
  addUserWork(store);
  return store;
}

function renderApp(path: string, store: AppStore = loggedInStore()) {
  window.history.pushState({}, '', path);
  return renderWithProviders(<Root appName="x" />, { store });
}

const sidePanel = () =>
  screen.findByRole('complementary', { name: 'Side panel' }, { timeout: 10_000 });

describe('error boundaries', { timeout: 30_000 }, () => {
  it('a crashing view leaves the map, sources and login intact, and can be reopened', async () => {
    broken.storesView = true;
    const store = loggedInStore();
    const before = { sources: store.getState().sources, oauth: store.getState().oauth };
    const { user } = renderApp('/stores', store);

    const alert = await within(await sidePanel()).findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent('The Stores view stopped working');
    expect(alert).toHaveTextContent('Cannot read properties of undefined');
    expect(await screen.findByTestId('fake-map', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Datasets' })).toBeInTheDocument();
    expect(store.getState().sources).toEqual(before.sources);
    expect(store.getState().sources.ids).toEqual(['s']);
    expect(store.getState().oauth).toEqual(before.oauth);
    expect(screen.getByRole('button', { name: 'Account menu' })).toBeInTheDocument();

    broken.storesView = false;
    await user.click(within(alert).getByRole('button', { name: 'Reopen the view' }));
    expect(await screen.findByText('Stores view content')).toBeInTheDocument();
    expect(screen.queryByText('The Stores view stopped working.')).not.toBeInTheDocument();
    expect(screen.getByTestId('fake-map')).toBeInTheDocument();
  });

  it('a view’s chunk that fails to load offers to reload the app', async () => {
    broken.sqlChunk = true;
    const { user, store } = renderApp('/sql');
    const alert = await within(await sidePanel()).findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent(
      'The SQL view stopped working: a newer version of the app is available.',
    );
    expect(within(alert).queryByRole('button', { name: 'Reopen the view' })).toBeNull();
    expect(await screen.findByTestId('fake-map', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(store.getState().oauth.session?.user).toEqual(USER);

    // jsdom's location.reload cannot be spied on (unforgeable); the global can be replaced.
    const reload = vi.fn();
    const descriptor = Object.getOwnPropertyDescriptor(window, 'location')!;
    Object.defineProperty(window, 'location', {
      configurable: true,
      value: { href: window.location.href, pathname: window.location.pathname, reload },
    });
    try {
      await user.click(within(alert).getByRole('button', { name: 'Reload the app' }));
    } finally {
      Object.defineProperty(window, 'location', descriptor);
    }
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('a map without WebGL says so, and the side panel keeps working', async () => {
    broken.webgl = true;
    const { user, store } = renderApp('/');
    const unavailable = await screen.findByTestId('map-unavailable', {}, { timeout: 10_000 });
    expect(unavailable).toHaveTextContent('The map cannot be drawn in this browser');
    expect(unavailable).toHaveTextContent('GPUInitializationError');
    expect(screen.queryByTestId('fake-map')).toBeNull();

    const panel = await sidePanel();
    // The Datasets view still loads the user's datasets from CARTO.
    expect(
      await within(panel).findByText('demo.retail_stores', {}, { timeout: 10_000 }),
    ).toBeTruthy();
    await user.click(within(panel).getByRole('tab', { name: 'Stores' }));
    expect(await within(panel).findByText('Stores view content')).toBeInTheDocument();
    expect(within(panel).queryByRole('alert')).toBeNull();
    expect(store.getState().sources.ids).toEqual(['s']);
    expect(store.getState().oauth.status).toBe('authenticated');
  });

  it('a failing user menu keeps the user’s name, offers a retry, and keeps the login', async () => {
    broken.userMenu = true;
    const store = loggedInStore();
    const before = store.getState().oauth;
    const { user } = renderApp('/', store);
    const header = screen.getByRole('banner');
    const retry = await within(header).findByRole('button', { name: 'Menu failed: retry' });
    expect(within(header).getByRole('alert')).toHaveTextContent('Ann Example');
    expect(store.getState().oauth).toEqual(before);
    expect(store.getState().oauth.status).toBe('authenticated');
    expect(await sidePanel()).toBeInTheDocument();

    broken.userMenu = false;
    await user.click(retry);
    expect(await within(header).findByRole('button', { name: 'Account menu' })).toBeTruthy();
    expect(within(header).queryByRole('alert')).toBeNull();
  });

  it('a failing workspace keeps the header, and says the workspace could not be shown', async () => {
    broken.workspace = true;
    const { store } = makeOAuthTestStore();
    const { user } = renderApp('/', store);
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent('The workspace could not be shown');
    expect(alert).toHaveTextContent('The workspace broke');
    expect(screen.getByRole('heading', { name: 'x' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Login with CARTO' })).toBeInTheDocument();
    expect(screen.queryByRole('complementary', { name: 'Side panel' })).toBeNull();

    broken.workspace = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() =>
      expect(screen.queryByText('The workspace could not be shown.')).not.toBeInTheDocument(),
    );
    expect(await sidePanel()).toBeInTheDocument();
  });
});
