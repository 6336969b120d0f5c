/**
 * A minimal single-page app that logs in against the emulator with the real SPA libraries,
 * `@auth0/auth0-spa-js` and `oidc-client-ts`. Bundled for the browser by the contract test
 * (tests/e2e/oidcLibraries.e2e.ts) and served on an origin the demo config registers; the test
 * drives it through `window.oidcLab` (every answer is plain data, for `page.evaluate`).
 */
import { createAuth0Client, type Auth0Client } from '@auth0/auth0-spa-js';
import { UserManager, type UserManagerSettings } from 'oidc-client-ts';

/** Where this page runs and which client it is: set by the test before it loads. */
export interface LabConfig {
  authServer: string;
  clientId: string;
  audience: string;
  scope: string;
  /** An Allowed Callback URL (also the popup and silent callback of oidc-client-ts). */
  callbackUrl: string;
  /** An Allowed Logout URL. */
  logoutUrl: string;
  /** The connection and a SQL query the access token must be able to run. */
  sql: { connection: string; query: string };
}

/** What a login ended with: who logged in, and what the access token read. */
export interface LabResult {
  email: string | null;
  accessToken: string;
  /** The first row the SQL query answered, read with the access token. */
  row: Record<string, unknown>;
}

/** An error as the library raised it: its `error` code (OAuth) or its message. */
export interface LabFailure {
  failed: true;
  error: string;
  message: string;
}

export interface OidcLab {
  auth0LoginWithRedirect(options: { useRefreshTokens: boolean }): Promise<void>;
  auth0HandleRedirectCallback(options: { useRefreshTokens: boolean }): Promise<LabResult>;
  auth0LoginWithPopup(options: { useRefreshTokens: boolean }): Promise<LabResult | LabFailure>;
  /** After a login in this document: a fresh token, bypassing the SDK's cache. */
  auth0GetTokenSilently(): Promise<LabResult | LabFailure>;
  /** A new client (no tokens in memory): the hidden iframe, `response_mode=web_message`. */
  auth0SilentWithIframe(options?: { timeoutSeconds?: number }): Promise<LabResult | LabFailure>;
  auth0Logout(): Promise<void>;
  oidcSigninRedirect(nonce: string): Promise<void>;
  oidcSigninRedirectCallback(): Promise<LabResult | LabFailure>;
  oidcSigninPopup(nonce: string): Promise<LabResult | LabFailure>;
  oidcSigninSilent(): Promise<LabResult | LabFailure>;
  oidcSignoutRedirect(state: string): Promise<void>;
  oidcSignoutRedirectCallback(): Promise<{ state: unknown }>;
}

declare global {
  interface Window {
    oidcLabConfig?: LabConfig;
    oidcLab?: OidcLab;
  }
}

function labConfig(): LabConfig {
  const config = window.oidcLabConfig;
  if (!config) throw new Error('window.oidcLabConfig is not set');
  return config;
}

async function readWithToken(accessToken: string): Promise<Record<string, unknown>> {
  const { authServer, sql } = labConfig();
  const url = new URL(`/v3/sql/${encodeURIComponent(sql.connection)}/query`, authServer);
  url.searchParams.set('q', sql.query);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (!response.ok) throw new Error(`SQL API: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { rows: Record<string, unknown>[] };
  const row = body.rows[0];
  if (!row) throw new Error('SQL API: no rows');
  return row;
}

function failure(error: unknown): LabFailure {
  const code =
    error && typeof error === 'object' && 'error' in error && typeof error.error === 'string'
      ? error.error
      : '';
  const message = error instanceof Error ? error.message : String(error);
  return { failed: true, error: code, message };
}

async function orFailure<T>(run: () => Promise<T>): Promise<T | LabFailure> {
  try {
    return await run();
  } catch (error) {
    return failure(error);
  }
}

// --- @auth0/auth0-spa-js -------------------------------------------------------------------

let auth0: Auth0Client | undefined;

/** The SDK's `domain` takes an http URL as is (`getDomain`): its issuer is `${domain}/`. */
async function auth0Client(
  {
    useRefreshTokens = false,
    timeoutSeconds,
  }: { useRefreshTokens?: boolean; timeoutSeconds?: number } = {},
  fresh = false,
): Promise<Auth0Client> {
  if (auth0 && !fresh) return auth0;
  const config = labConfig();
  auth0 = await createAuth0Client({
    domain: config.authServer,
    clientId: config.clientId,
    useRefreshTokens,
    ...(timeoutSeconds !== undefined ? { authorizeTimeoutInSeconds: timeoutSeconds } : {}),
    authorizationParams: {
      redirect_uri: config.callbackUrl,
      audience: config.audience,
      scope: config.scope,
    },
  });
  return auth0;
}

/** A token from `getTokenSilently` (the SDK's cache skipped when `fresh`), its user, its data. */
async function auth0Result(client: Auth0Client, fresh: boolean): Promise<LabResult> {
  const accessToken = await client.getTokenSilently(fresh ? { cacheMode: 'off' } : {});
  if (!accessToken) throw new Error('getTokenSilently returned no token');
  const user = await client.getUser();
  return { email: user?.email ?? null, accessToken, row: await readWithToken(accessToken) };
}

// --- oidc-client-ts -------------------------------------------------------------------------

function userManager(): UserManager {
  const config = labConfig();
  const settings: UserManagerSettings = {
    authority: config.authServer,
    client_id: config.clientId,
    redirect_uri: config.callbackUrl,
    popup_redirect_uri: config.callbackUrl,
    silent_redirect_uri: config.callbackUrl,
    post_logout_redirect_uri: config.logoutUrl,
    scope: config.scope,
    extraQueryParams: { audience: config.audience },
    loadUserInfo: true,
    silentRequestTimeoutInSeconds: 5,
  };
  return new UserManager(settings);
}

async function oidcResult(user: { access_token: string; profile: { email?: string } }) {
  return {
    email: user.profile.email ?? null,
    accessToken: user.access_token,
    row: await readWithToken(user.access_token),
  };
}

const lab: OidcLab = {
  async auth0LoginWithRedirect({ useRefreshTokens }) {
    await (await auth0Client({ useRefreshTokens }, true)).loginWithRedirect();
  },
  async auth0HandleRedirectCallback({ useRefreshTokens }) {
    const client = await auth0Client({ useRefreshTokens }, true);
    await client.handleRedirectCallback();
    return auth0Result(client, false);
  },
  auth0LoginWithPopup: ({ useRefreshTokens }) =>
    orFailure(async () => {
      const client = await auth0Client({ useRefreshTokens }, true);
      await client.loginWithPopup();
      return auth0Result(client, false);
    }),
  auth0GetTokenSilently: () =>
    orFailure(async () => {
      const client = await auth0Client();
      return auth0Result(client, true);
    }),
  auth0SilentWithIframe: ({ timeoutSeconds } = {}) =>
    orFailure(async () => {
      const client = await auth0Client({ useRefreshTokens: false, timeoutSeconds }, true);
      return auth0Result(client, true);
    }),
  async auth0Logout() {
    await (await auth0Client()).logout({ logoutParams: { returnTo: labConfig().logoutUrl } });
  },
  async oidcSigninRedirect(nonce) {
    await userManager().signinRedirect({ nonce });
  },
  oidcSigninRedirectCallback: () =>
    orFailure(async () => oidcResult(await userManager().signinRedirectCallback())),
  oidcSigninPopup: (nonce) =>
    orFailure(async () => oidcResult(await userManager().signinPopup({ nonce }))),
  oidcSigninSilent: () =>
    orFailure(async () => {
      const user = await userManager().signinSilent();
      if (!user) throw new Error('signinSilent returned no user');
      return oidcResult(user);
    }),
  async oidcSignoutRedirect(state) {
    await userManager().signoutRedirect({ state });
  },
  async oidcSignoutRedirectCallback() {
    const response = await userManager().signoutRedirectCallback();
    return { state: response.userState };
  },
};

window.oidcLab = lab;

// oidc-client-ts's popup and silent logins land on the callback URL in a popup or an iframe:
// this page hands the answer to the window that asked (Auth0's SDK uses web_message instead).
const url = new URL(window.location.href);
const nested = window.opener !== null || window.parent !== window;
if (
  nested &&
  url.href.startsWith(labConfig().callbackUrl) &&
  (url.searchParams.has('code') || url.searchParams.has('error'))
) {
  void userManager().signinCallback();
}
