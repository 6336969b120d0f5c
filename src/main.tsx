import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import CssBaseline from '@mui/material/CssBaseline';
import { App } from './App';
import { AppProviders } from './AppProviders';
import { ConfigErrorScreen } from './components/ConfigErrorScreen';
import { loadConfig } from './config/loadConfig';
import { initialState } from './store/initialStateSlice';
import { makeStore, preloadedStateFromConfig } from './store/store';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

const result = loadConfig(initialState, import.meta.env);
if (result.ok) {
  const store = makeStore(preloadedStateFromConfig(result.config));
  root.render(
    <StrictMode>
      <AppProviders store={store}>
        <App appName={result.config.appName} />
      </AppProviders>
    </StrictMode>,
  );
} else {
  root.render(
    <StrictMode>
      <CssBaseline />
      <ConfigErrorScreen problems={result.problems} />
    </StrictMode>,
  );
}
