/**
 * THE file to edit when you build your own app on this starter.
 *
 * Everything here can also be overridden per machine with `VITE_*` variables in `.env`
 * (see `.env.example`); those are validated when the app starts and a wrong value shows a
 * readable list of problems instead of a blank page.
 *
 * The defaults point at the bundled CARTO platform emulator (`npm start` runs it on
 * http://localhost:8600), so a fresh clone logs in with no setup. To use a real CARTO account:
 * create an SPA OAuth client in your CARTO workspace, register
 * `<your app origin>/oauth-callback.html` as an Allowed Callback URL, and set `clientId`,
 * `authorizationServer: 'https://auth.carto.com'` and `apiBaseUrl` (your region's API URL).
 *
 * Never put a client secret here: everything in this file ships to the browser.
 */
import type { AppConfig } from '../config/configTypes';

export const initialState: AppConfig = {
  /** The name in the header, the login screen and the page title (colours and fonts: src/brand.ts). */
  appName: 'CARTO Login Starter',
  oauth: {
    /** The SPA OAuth client id registered with the authorization server. */
    clientId: 'demo-spa-client',
    /** Scopes requested at login. The user may grant fewer; the app checks what was granted. */
    scopes: [
      'read:current_user',
      'read:connections',
      'datasets:metadata',
      'datasets:r:*',
      'dataservices:isolines',
      'offline_access',
    ],
    /** The authorization server (issuer). Real CARTO: https://auth.carto.com */
    authorizationServer: 'http://localhost:8600',
    /** CARTO 3 API audience. */
    audience: 'carto-cloud-native-api',
    /** Optional organization id for SSO logins. */
    organization: '',
    /** 'pkce' (authorization code + PKCE, the default) or 'implicit' (legacy CARTO 2 accounts). */
    flow: 'pkce',
    /** When true the first screen is a login screen and nothing else loads before login. */
    forceOAuthLogin: false,
    /** 'memory' (default) or 'session' (sessionStorage, survives reloads of this tab). */
    persist: 'memory',
  },
  /** CARTO API base URL (real CARTO: e.g. https://gcp-us-east1.api.carto.com). */
  apiBaseUrl: 'http://localhost:8600',
  /**
   * Legacy API access token, used without login when there is no clientId.
   * Only for public data: it ships in the bundle. Leave empty normally.
   */
  apiAccessToken: '',
  viewState: { longitude: -40, latitude: 30, zoom: 1.6, pitch: 0, bearing: 0 },
  /**
   * 'auto' follows the light/dark mode (Positron or Dark Matter); or one of 'positron',
   * 'voyager', 'dark-matter', 'offline' (the bundled Natural Earth map, itself light or dark).
   */
  basemap: 'auto',
};
