import { createHash, randomBytes } from 'node:crypto';
import { generateKeyPair, type GenerateKeyPairResult } from 'jose';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/createEmulator';
import { hashSecret, sha256Hex } from '../../emulator/auth/passwords';
import type { EmulatorConfigInput } from '../../emulator/config/configSchema';
import { APP } from '../appOrigin';

export const ISSUER = 'http://emulator.test';
/** The issuer identifier (`iss`, discovery's `issuer`): the URL with a trailing slash. */
export const ISSUER_ID = `${ISSUER}/`;
export { APP };
export const CALLBACK = `${APP}/oauth-callback.html`;
export const USER = { email: 'demo@example.com', password: 'correct horse battery' };
export const OTHER_USER = { email: 'ana@acme.example.com', password: 'another password' };
export const M2M = { clientId: 'm2m-client', clientSecret: 'm2m-secret-value' };
export const API_TOKEN = 'legacy-public-token';

let hashes: Promise<{ user: string; other: string; m2m: string }> | undefined;

/** Hashing is slow on purpose: do it once per test file. */
/**
 * The test users' and clients' hashes cost 1/16 of the default (a check takes about 2 ms, not
 * 33): the suite checks passwords and client secrets hundreds of times. The cost is read from
 * each hash, so the emulator verifies them by the same code; its unknown-user hash keeps the
 * default cost.
 */
export const TEST_SCRYPT_COST = { N: 1024, r: 8, p: 1 };

function testHashes() {
  hashes ??= (async () => ({
    user: await hashSecret(USER.password, TEST_SCRYPT_COST),
    other: await hashSecret(OTHER_USER.password, TEST_SCRYPT_COST),
    m2m: await hashSecret(M2M.clientSecret, TEST_SCRYPT_COST),
  }))();
  return hashes;
}

export async function testConfig(): Promise<EmulatorConfigInput> {
  const h = await testHashes();
  return {
    demo: false,
    accessTokenTtlSeconds: 300,
    refreshTokenTtlSeconds: 3600,
    organizations: [
      { id: 'org_demo', name: 'Demo Org' },
      { id: 'org_acme', name: 'Acme', sso: true },
    ],
    users: [
      {
        id: 'auth0|demo',
        email: USER.email,
        passwordHash: h.user,
        name: 'Demo User',
        account: 'demo',
        organization: 'org_demo',
        avatarUrl: 'https://example.com/avatar.png',
      },
      {
        id: 'auth0|ana',
        email: OTHER_USER.email,
        passwordHash: h.other,
        name: 'Ana',
        account: 'ana',
        organization: 'org_acme',
      },
    ],
    spaClients: [
      {
        clientId: 'spa',
        name: 'Test SPA',
        allowedCallbackUrls: [CALLBACK, 'https://preview-*-app.example.com/callback'],
        allowedLogoutUrls: [`${APP}/`],
        allowedWebOrigins: [APP],
        allowedOrigins: [APP, 'https://*.example.com'],
      },
      {
        clientId: 'legacy',
        name: 'Legacy app',
        allowedCallbackUrls: [CALLBACK],
        legacy: true,
      },
      {
        clientId: 'simple',
        name: 'Simple app',
        applicationLoginUrl: 'https://simple.example.org/app',
      },
      {
        clientId: 'cli',
        name: 'carto-auth CLI',
        allowedCallbackUrls: ['http://localhost:18765/callback/'],
      },
    ],
    m2mClients: [
      {
        clientId: M2M.clientId,
        name: 'ETL',
        clientSecretHash: h.m2m,
        user: 'auth0|demo',
        scopes: ['read:connections', 'datasets:r:*'],
      },
      {
        clientId: 'm2m-lds',
        name: 'Location services job',
        clientSecretHash: h.m2m,
        user: 'auth0|demo',
        scopes: ['dataservices:isolines', 'dataservices:geocoding'],
      },
    ],
    connections: [{ name: 'carto_dw', owner: 'auth0|demo', organization: 'org_demo' }],
    apiTokens: [
      {
        name: 'public',
        tokenSha256: sha256Hex(API_TOKEN),
        user: 'auth0|demo',
        grants: ['datasets:r:populated_places'],
      },
    ],
  };
}

let signingKey: Promise<GenerateKeyPairResult> | undefined;

/**
 * One RS256 key pair for the test emulators of a worker (issue 18: a suite makes about 270,
 * at 135 ms of CPU a key). Each emulator keeps its own key id and refuses the others' tokens.
 */
function testSigningKey() {
  signingKey ??= generateKeyPair('RS256', { extractable: true });
  return signingKey;
}

export interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
}

export function testClock(start = Date.UTC(2026, 10, 26, 12)): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

export async function makeTestEmulator(
  clock = testClock(),
  {
    issuer = ISSUER,
    config = {},
    data = false,
  }: {
    issuer?: string;
    config?: Partial<EmulatorConfigInput>;
    data?: EmulatorOptions['data'];
  } = {},
) {
  const emulator = await createEmulator(
    { ...(await testConfig()), ...config },
    // Fault injection on (it does nothing until a test sets faults: emulator/http/faults.ts).
    // The BigQuery translator loads on a file's first BigQuery query, not with every emulator.
    {
      issuer,
      now: clock.now,
      data,
      faults: true,
      warmTranslator: false,
      signingKey: testSigningKey(),
    },
  );
  return { emulator, clock };
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** Builds an /authorize URL of `params` (a value set to undefined is left out). */
export function authorizeUrl(params: Record<string, string | undefined>, path = '/authorize') {
  const url = new URL(path, ISSUER);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

/**
 * An /authorize URL for `spa`'s code flow with defaults (its callback, read:current_user,
 * state `s`, a fresh S256 PKCE challenge); `params` adds or overrides (undefined: left out).
 */
export function spaAuthorizeUrl(params: Record<string, string | undefined> = {}) {
  return authorizeUrl({
    client_id: 'spa',
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'read:current_user',
    state: 's',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    ...params,
  });
}

const hiddenField = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/**
 * A minimal browser over `emulator.fetch`: keeps cookies, does not follow redirects, and can
 * fill the login and consent forms the way a user would.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();
  lastHtml = '';

  constructor(
    private readonly emulator: Emulator,
    private readonly base = ISSUER,
  ) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const response = await this.emulator.fetch(
      new Request(new URL(url, this.base), { ...init, headers }),
    );
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (/Max-Age=0/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async open(url: string): Promise<Response> {
    const response = await this.request(url);
    if (response.headers.get('Content-Type')?.includes('text/html')) {
      this.lastHtml = await response.clone().text();
    }
    return response;
  }

  async submit(path: string, fields: [string, string][]): Promise<Response> {
    const response = await this.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    if (response.headers.get('Content-Type')?.includes('text/html')) {
      this.lastHtml = await response.clone().text();
    }
    return response;
  }

  formFields(): [string, string][] {
    return [
      ['request', hiddenField(this.lastHtml, 'request')],
      ['csrf', hiddenField(this.lastHtml, 'csrf')],
    ];
  }

  login(email = USER.email, password = USER.password) {
    return this.submit('/authorize/login', [
      ...this.formFields(),
      ['email', email],
      ['password', password],
    ]);
  }

  /** Submits the consent form, ticking `scopes` (default: all that were offered). */
  consent(decision: 'allow' | 'deny' = 'allow', scopes?: string[]) {
    const offered = [...this.lastHtml.matchAll(/name="scope" value="([^"]*)"/g)].map(
      (m) => m[1] ?? '',
    );
    const ticked = scopes ?? offered;
    return this.submit('/authorize/consent', [
      ...this.formFields(),
      ...ticked.map((s): [string, string] => ['scope', s]),
      ['decision', decision],
    ]);
  }
}

export function location(response: Response): URL {
  const value = response.headers.get('Location');
  if (!value) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(value);
}

/** The whole code flow for `spa`: returns the callback URL the browser lands on. */
export async function loginWithCode(
  emulator: Emulator,
  {
    scope = 'read:current_user offline_access',
    state = 'state-123',
    prompt,
    allow,
    nonce,
    browser = new TestBrowser(emulator),
  }: {
    scope?: string;
    state?: string;
    /** OpenID Connect's nonce, for the ID token to echo. */
    nonce?: string;
    /** e.g. `consent`, to be asked again in a browser that already consented. */
    prompt?: string;
    /** The scopes ticked on the consent page (default: all that were offered). */
    allow?: string[];
    browser?: TestBrowser;
  } = {},
) {
  const { verifier, challenge } = pkce();
  const page = await browser.open(
    spaAuthorizeUrl({ scope, state, code_challenge: challenge, prompt, nonce }),
  );
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}`);
  if (browser.lastHtml.includes('name="password"')) await browser.login();
  const callback = location(await browser.consent('allow', allow));
  return { callback, code: callback.searchParams.get('code') ?? '', verifier, browser };
}

export function tokenRequest(
  emulator: Emulator,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return emulator.fetch(
    new Request(`${ISSUER}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

/** A client_credentials token request for `clientId` (the test config's M2M secret). */
export function clientCredentials(
  emulator: Emulator,
  clientId = M2M.clientId,
  extra: Record<string, string> = {},
) {
  return tokenRequest(emulator, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: M2M.clientSecret,
    ...extra,
  });
}

/** An access token for `clientId` by client_credentials; throws when none is given. */
export async function clientToken(emulator: Emulator, clientId = M2M.clientId): Promise<string> {
  const response = await clientCredentials(emulator, clientId);
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function exchangeCode(emulator: Emulator, code: string, verifier: string) {
  return tokenRequest(emulator, {
    grant_type: 'authorization_code',
    client_id: 'spa',
    code,
    code_verifier: verifier,
    redirect_uri: CALLBACK,
  });
}

/** A request to `path` with a bearer token: a GET, or with `json` (JSON text) a POST of it. */
export function bearerRequest(path: string, token: string, json?: string): Request {
  if (json === undefined) {
    return new Request(`${ISSUER}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  }
  return new Request(`${ISSUER}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: json,
  });
}

export function bearer(emulator: Emulator, path: string, token: string) {
  return emulator.fetch(bearerRequest(path, token));
}
