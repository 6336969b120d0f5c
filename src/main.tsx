import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/app.css';
import { AppProviders } from './AppProviders';
import { Root } from './Root';
import { loadConfig } from './config/loadConfig';
import { initialState } from './store/initialStateSlice';
import { makeStore, preloadedStateFromConfig } from './store/store';
import { broadcastSessionChannel, createOAuthRuntime } from './features/oauth/oauthRuntime';
import { startOAuthSession } from './features/oauth/oauthEffects';

const ConfigErrorScreen = lazy(() => import('./components/ConfigErrorScreen'));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

const result = loadConfig(initialState, import.meta.env);
if (result.ok) {
  const { config } = result;
  const runtime = createOAuthRuntime({
    // Tokens stay in memory unless the developer opted in to per-tab persistence.
    storage: config.oauth.persist === 'session' ? window.sessionStorage : null,
    channel: broadcastSessionChannel(`carto-oauth-session:${config.oauth.clientId}`),
  });
  const store = makeStore(preloadedStateFromConfig(config), { oauthRuntime: runtime });
  startOAuthSession(store, runtime);
  root.render(
    <StrictMode>
      <AppProviders store={store}>
        <Root appName={config.appName} />
      </AppProviders>
    </StrictMode>,
  );
} else {
  root.render(
    <StrictMode>
      <Suspense fallback={null}>
        <ConfigErrorScreen problems={result.problems} />
      </Suspense>
    </StrictMode>,
  );
}
