import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { applyStoredThemeMode } from './features/theme/themeMode';
import './styles/app.css';
import { AppProviders } from './AppProviders';
import { Root } from './Root';
import { loadConfig } from './config/loadConfig';
import type { AppConfig } from './config/configTypes';
import { initialState } from './store/initialStateSlice';
import { makeStore, preloadedStateFromUrl } from './store/store';
import { windowMapUrl } from './store/listeners';
import { broadcastSessionChannel, createOAuthRuntime } from './features/oauth/oauthRuntime';
import { startOAuthSession } from './features/oauth/oauthEffects';

// Before the first render, so the first screen is drawn in the remembered mode.
applyStoredThemeMode();

const ConfigErrorScreen = lazy(() => import('./components/ConfigErrorScreen'));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

/** The app, once the store's first state (configuration and map link) is known. */
async function startApp(config: AppConfig) {
  // A map link in the hash (view, basemap, layers; src/features/map/mapUrl.ts) applies over the
  // configured map, and a listener keeps the hash up to date. The OAuth callback is a page of
  // its own (oauth-callback.html), so its code or token never meets this page's hash.
  const preloaded = await preloadedStateFromUrl(config, window.location.hash);
  const runtime = createOAuthRuntime({
    // Tokens stay in memory unless the developer opted in to per-tab persistence.
    storage: config.oauth.persist === 'session' ? window.sessionStorage : null,
    channel: broadcastSessionChannel(`carto-oauth-session:${config.oauth.clientId}`),
  });
  const store = makeStore(preloaded, { oauthRuntime: runtime, mapUrl: windowMapUrl(window) });
  startOAuthSession(store, runtime);
  root.render(
    <StrictMode>
      <AppProviders store={store}>
        <Root appName={config.appName} />
      </AppProviders>
    </StrictMode>,
  );
}

const result = loadConfig(initialState, import.meta.env);
if (result.ok) {
  void startApp(result.config);
} else {
  root.render(
    <StrictMode>
      <Suspense fallback={null}>
        <ConfigErrorScreen problems={result.problems} />
      </Suspense>
    </StrictMode>,
  );
}
