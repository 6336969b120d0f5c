// @vitest-environment node
/**
 * The emulator's authorization server, attacked (in process, no port): redirect-URI variants
 * (hundreds, generated), PKCE misuse, code and refresh-token misuse, scope escalation at the
 * authorization, consent, token and data endpoints. Every case counts its attempts and how
 * many were wrongly accepted; the table is printed at the end and any acceptance fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Emulator } from '../../emulator/createEmulator';
import { Database } from '../../emulator/data/database';
import {
  API_TOKEN,
  APP,
  bearer,
  CALLBACK,
  clientCredentials,
  ISSUER,
  location,
  loginWithCode,
  M2M,
  makeTestEmulator,
  pkce,
  spaAuthorizeUrl,
  TestBrowser,
  tokenRequest,
  type TestClock,
} from '../utils/emulatorHarness';
import { printTable, type Row } from './table';

const rows: Row[] = [];
afterAll(() => printTable('OAuth server (emulator), adversarial', rows));

type Attempt = (() => Promise<boolean>) & { label?: string };

/** Names an attempt, so a failure says which one got through. */
const labelled = (label: string, run: () => Promise<boolean>): Attempt =>
  Object.assign(run, { label });

/**
 * Runs `attempts` (a few at a time), each resolving to whether it was wrongly accepted, and
 * records the row. Returns the labels (or indexes) of the accepted ones.
 */
async function record(name: string, attempts: Attempt[], parallel = 8): Promise<string[]> {
  const accepted: string[] = [];
  for (let i = 0; i < attempts.length; i += parallel) {
    const batch = attempts.slice(i, i + parallel);
    const results = await Promise.all(batch.map((attempt) => attempt()));
    results.forEach((ok, j) => {
      if (ok) accepted.push(batch[j]?.label ?? `#${i + j}`);
    });
  }
  rows.push({ case: name, attempts: attempts.length, accepted: accepted.length });
  return accepted;
}

let database: Database;
let emulator: Emulator;
let clock: TestClock;
/** A browser logged in as the demo user, with consent for `CONSENTED` already given. */
let session: TestBrowser;
const CONSENTED = 'read:current_user offline_access';

beforeAll(async () => {
  database = await Database.create();
  ({ emulator, clock } = await makeTestEmulator(undefined, { data: database }));
  session = new TestBrowser(emulator);
  await loginWithCode(emulator, { browser: session, scope: CONSENTED, state: 'setup' });
}, 60_000);

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * A silent (prompt=none) authorization with the logged-in session (a fresh PKCE challenge
 * unless `params` gives one): the redirect it gives.
 */
async function silent(params: Record<string, string | undefined>) {
  return session.open(
    spaAuthorizeUrl({ scope: CONSENTED, state: 'adv', prompt: 'none', ...params }),
  );
}

/** A fresh code for `spa` (and its verifier), by a silent authorization. */
async function freshCode(scope = CONSENTED) {
  const { verifier, challenge } = pkce();
  const response = await silent({ code_challenge: challenge, scope });
  const code = location(response).searchParams.get('code');
  if (!code) throw new Error(`no code: ${response.headers.get('Location') ?? response.status}`);
  return { code, verifier };
}

/** An authorization_code token request for `spa`; a field set to undefined is left out. */
function exchange(fields: Record<string, string | undefined>) {
  const all: Record<string, string | undefined> = {
    grant_type: 'authorization_code',
    client_id: 'spa',
    redirect_uri: CALLBACK,
    ...fields,
  };
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) if (value !== undefined) form[key] = value;
  return tokenRequest(emulator, form);
}

interface Tokens {
  access_token?: string;
  refresh_token?: string;
  scope?: string;
}

/** Exchanges `code` for `spa` and reads the answer (whatever it is) as tokens. */
async function exchangeForTokens(code: string, verifier: string): Promise<Tokens> {
  return (await (await exchange({ code, code_verifier: verifier })).json()) as Tokens;
}

async function tokensFor(scope = CONSENTED): Promise<Required<Omit<Tokens, 'scope'>> & Tokens> {
  const { code, verifier } = await freshCode(scope);
  const body = await exchangeForTokens(code, verifier);
  if (!body.access_token) throw new Error('no token');
  return { access_token: body.access_token, refresh_token: body.refresh_token ?? '', ...body };
}

const refresh = (token: string, extra: Record<string, string> = {}) =>
  tokenRequest(emulator, {
    grant_type: 'refresh_token',
    client_id: 'spa',
    refresh_token: token,
    ...extra,
  });

const works = async (accessToken: string) =>
  (await bearer(emulator, '/userinfo', accessToken)).status === 200;

// --- Redirect URIs -----------------------------------------------------------------------------

/** Registered: exact CALLBACK, the wildcard one, `simple`'s login URL, `cli`'s loopback. */
const BASES: { clientId: string; url: string }[] = [
  { clientId: 'spa', url: CALLBACK },
  { clientId: 'spa', url: 'https://preview-pr7-app.example.com/callback' },
  { clientId: 'simple', url: 'https://simple.example.org/app' },
  { clientId: 'cli', url: 'http://localhost:18765/callback/' },
];

/** Every variant a redirect URI must NOT match (none of them equals a registered URL). */
function redirectVariants(base: string): string[] {
  const url = new URL(base);
  const { protocol, hostname, port, pathname } = url;
  const hostPort = port ? `${hostname}:${port}` : hostname;
  const otherScheme = protocol === 'https:' ? 'http:' : 'https:';
  const hosts = [
    'evil.example.net',
    `${hostname}.evil.example.net`,
    `evil-${hostname}`,
    `${hostname}evil.net`,
    `evil.${hostname}`,
    `${hostname}.`,
    `${hostname}..`,
    hostname.toUpperCase(),
    hostname.replace(/^./, (c) => c.toUpperCase()),
    '127.0.0.1',
    '[::1]',
    '0.0.0.0',
    'localhost',
    `${hostname}%2eevil.net`,
    `${hostname}%00.evil.net`,
    `xn--${hostname}`,
    hostname.replace(/o/g, '0'),
    hostname.replace(/l/g, '1'),
    hostname.replace(/a/g, 'а'), // Cyrillic a
  ];
  const ports = [
    '',
    ':1',
    ':80',
    ':443',
    ':8080',
    `:${Number(port || 443) + 1}`,
    `:0${port || 443}`,
  ];
  const paths = [
    `${pathname}/`,
    pathname.replace(/\/$/, ''),
    `${pathname}/../evil`,
    `/..${pathname}`,
    `${pathname}/.`,
    `/.${pathname}`,
    `/%2e%2e${pathname}`,
    `${pathname}%2f..%2fevil`,
    `${pathname}%00`,
    `${pathname}%0d%0aSet-Cookie:x=1`,
    `${pathname}%20`,
    `${pathname}\t`,
    `${pathname};x=1`,
    pathname.toUpperCase(),
    `//evil.example.net${pathname}`,
    `\\\\evil.example.net${pathname}`,
    `${pathname}?`,
    `${pathname}?x=1`,
    `${pathname}?redirect=https://evil.example.net`,
    `${pathname}#`,
    `${pathname}#x`,
    `${pathname}@evil.example.net`,
    `/evil${pathname}`,
    `${pathname}.evil`,
    pathname.replace(/\//g, '%2F'),
    pathname.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`),
  ];
  const out = new Set<string>();
  for (const h of hosts) out.add(`${protocol}//${h}${port ? `:${port}` : ''}${pathname}`);
  for (const p of ports) out.add(`${protocol}//${hostname}${p}${pathname}`);
  for (const p of paths) out.add(`${protocol}//${hostPort}${p}`);
  for (const tail of ['', '/']) {
    // userinfo@host tricks, both ways round, plain and encoded
    out.add(`${protocol}//${hostPort}@evil.example.net${pathname}${tail}`);
    out.add(`${protocol}//evil.example.net@${hostPort}${pathname}${tail}`);
    out.add(`${protocol}//user:pass@${hostPort}${pathname}${tail}`);
    out.add(`${protocol}//${hostPort}%40evil.example.net${pathname}${tail}`);
    out.add(`${protocol}//evil.example.net%23@${hostPort}${pathname}${tail}`);
    out.add(`${protocol}//evil.example.net#@${hostPort}${pathname}${tail}`);
    out.add(`${protocol}//evil.example.net\\@${hostPort}${pathname}${tail}`);
  }
  out.add(`${otherScheme}//${hostPort}${pathname}`);
  out.add(`${protocol.toUpperCase()}//${hostPort}${pathname}`);
  out.add(`${protocol}/${hostPort}${pathname}`);
  out.add(`${protocol}${hostPort}${pathname}`);
  out.add(`//${hostPort}${pathname}`);
  out.add(`${hostPort}${pathname}`);
  out.add(`javascript://${hostPort}${pathname}%0aalert(1)`);
  out.add(`data:text/html,${encodeURIComponent(base)}`);
  out.add(`file://${pathname}`);
  out.add(` ${base}`);
  out.add(`${base} `);
  out.add(`${base}\n`);
  out.add(encodeURIComponent(base));
  out.add(base.replace('://', ':/\\/'));
  out.add(`${base}${base}`);
  out.add(`${base},https://evil.example.net/`);
  out.add(`${base} https://evil.example.net/`);
  for (const b of BASES) out.delete(b.url);
  out.delete(base);
  return [...out];
}

/** Wildcard abuse against https://preview-*-app.example.com/callback. */
const WILDCARD_ABUSE = [
  'https://preview--app.example.com/callback',
  'https://preview-app.example.com/callback',
  'https://preview-*-app.example.com/callback',
  'https://preview-%2a-app.example.com/callback',
  'https://preview-x-app.evil.example.net/callback',
  'https://preview-x-app.example.com.evil.example.net/callback',
  'https://preview-x-app.example.com%2eevil.example.net/callback',
  'https://a.preview-x-app.example.com/callback',
  'https://preview-a.b-app.example.com/callback',
  'https://preview-a_b-app.example.com/callback',
  'https://preview-a b-app.example.com/callback',
  'https://preview-x-app.example.com/callback/',
  'https://preview-x-app.example.com/Callback',
  'https://preview-x-app.example.com/callback?x=1',
  'https://preview-x-app.example.com:443/callback',
  'https://preview-x-app.example.com:8443/callback',
  'http://preview-x-app.example.com/callback',
  'https://preview-x-app.example.com./callback',
  'https://preview-x-appexample.com/callback',
  'https://preview-x-app-example.com/callback',
  'https://xpreview-x-app.example.com/callback',
  'https://preview-x-appx.example.com/callback',
  'https://evil.example.net/preview-x-app.example.com/callback',
  'https://evil.example.net?.preview-x-app.example.com/callback',
  'https://evil.example.net#.preview-x-app.example.com/callback',
  'https://preview-x-app.example.com@evil.example.net/callback',
  'https://evil.example.net@preview-x-app.example.com/callback',
  'https://preview-x-app.example.com\\@evil.example.net/callback',
  'https://preview-x-app.example.com/callback/../../evil',
  'https://example.com/callback',
  'https://.example.com/callback',
  'https://*.example.com/callback',
  'https://preview-x-app.example.com/callback#frag',
  ...Array.from(
    { length: 20 },
    (_, i) => `https://preview-${'x'.repeat(i)}-app.example.org/callback`,
  ),
];

/** An authorization request got through to the given URI: a login page or a redirect to it. */
const authorizationAccepted = (response: Response) =>
  response.status !== 400 || response.headers.get('Location') !== null;

/** An authorization request (no session) by `clientId` with `redirectUri`. */
const authorize = (clientId: string, redirectUri: string) =>
  emulator.fetch(new Request(spaAuthorizeUrl({ client_id: clientId, redirect_uri: redirectUri })));

describe('redirect URIs', () => {
  it('every variant of a registered callback is refused with an error page, never a redirect', async () => {
    const attempts = BASES.flatMap(({ clientId, url }) =>
      redirectVariants(url).map((variant) =>
        labelled(`${clientId} ${variant}`, async () =>
          authorizationAccepted(await authorize(clientId, variant)),
        ),
      ),
    );
    expect(attempts.length).toBeGreaterThan(300);
    const accepted = await record('redirect_uri variants (authorize)', attempts, 16);
    expect(accepted).toEqual([]);
  });

  it('wildcard abuse is refused', async () => {
    const attempts = WILDCARD_ABUSE.map((variant) =>
      labelled(variant, async () => authorizationAccepted(await authorize('spa', variant))),
    );
    const accepted = await record('redirect_uri wildcard abuse', attempts, 16);
    expect(accepted).toEqual([]);
  });

  it('a silent login with a session never redirects a code to a variant', async () => {
    const attempts = redirectVariants(CALLBACK)
      .slice(0, 80)
      .map((variant) =>
        labelled(variant, async () => {
          const response = await silent({ redirect_uri: variant });
          return response.headers.get('Location') !== null;
        }),
      );
    const accepted = await record('redirect_uri variants (silent, session)', attempts, 16);
    expect(accepted).toEqual([]);
  });

  it('logout returnTo variants are refused', async () => {
    const attempts = redirectVariants(`${APP}/`).map((variant) =>
      labelled(variant, async () => {
        const response = await emulator.fetch(
          new Request(`${ISSUER}/v2/logout?client_id=spa&returnTo=${encodeURIComponent(variant)}`),
        );
        return response.status === 302;
      }),
    );
    const accepted = await record('logout returnTo variants', attempts, 16);
    expect(accepted).toEqual([]);
  });

  it('the token endpoint refuses a code with any other redirect_uri', async () => {
    const variants = redirectVariants(CALLBACK).slice(0, 40);
    const attempts = variants.map((variant) =>
      labelled(variant, async () => {
        const { code, verifier } = await freshCode();
        const response = await exchange({ code, code_verifier: verifier, redirect_uri: variant });
        return response.status === 200;
      }),
    );
    const accepted = await record('redirect_uri variants (token endpoint)', attempts, 8);
    expect(accepted).toEqual([]);
  });

  it('property: one character inserted, removed or changed in an exact callback is refused', async () => {
    const exact = BASES.filter((b) => !b.url.includes('preview-'));
    let attempts = 0;
    let accepted = 0;
    const edit = fc
      .record({
        base: fc.constantFrom(...exact),
        at: fc.nat(),
        kind: fc.constantFrom('insert', 'remove', 'replace'),
        char: fc.oneof(
          fc.constantFrom('/', '.', '@', '#', '?', '%', ':', '\\', ' ', 'A', '0', '-', '~'),
          fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
        ),
      })
      .map(({ base, at, kind, char }) => {
        const i = at % (base.url.length + (kind === 'insert' ? 1 : 0));
        const tail = base.url.slice(kind === 'insert' ? i : i + 1);
        const url = `${base.url.slice(0, i)}${kind === 'remove' ? '' : char}${tail}`;
        return { clientId: base.clientId, url };
      });
    await fc.assert(
      fc.asyncProperty(edit, async ({ clientId, url }) => {
        fc.pre(!BASES.some((b) => b.url === url));
        attempts++;
        const wrong = authorizationAccepted(await authorize(clientId, url));
        if (wrong) accepted++;
        return !wrong;
      }),
      { numRuns: 300 },
    );
    rows.push({ case: 'redirect_uri one-char edits (fast-check)', attempts, accepted });
  });

  it('controls: the registered URLs themselves are accepted (the harness can see acceptance)', async () => {
    for (const { clientId, url } of BASES) {
      expect((await authorize(clientId, url)).status).toBe(200);
    }
  });
});

// --- PKCE and codes ----------------------------------------------------------------------------

describe('PKCE and authorization codes', () => {
  it('an authorization request without proper S256 PKCE gets no code', async () => {
    const valid = pkce().challenge;
    const variants: Record<string, string | undefined>[] = [
      { code_challenge: undefined },
      { code_challenge: undefined, code_challenge_method: undefined },
      { code_challenge_method: undefined, code_challenge: valid },
      { code_challenge_method: 'plain', code_challenge: valid },
      { code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) },
      { code_challenge_method: 's256', code_challenge: valid },
      { code_challenge_method: 'S256 ', code_challenge: valid },
      { code_challenge_method: 'S512', code_challenge: valid },
      { code_challenge_method: '', code_challenge: valid },
      { code_challenge: '' },
      { code_challenge: 'short' },
      { code_challenge: `${valid}=` },
      { code_challenge: `${valid}A` },
      { code_challenge: valid.slice(0, 42) },
      { code_challenge: `${valid.slice(0, 42)}+` },
      { code_challenge: `${valid.slice(0, 42)}/` },
      { code_challenge: `${valid.slice(0, 42)}%` },
      { code_challenge: 'a'.repeat(128) },
      { response_type: 'token', code_challenge: undefined },
      { response_type: 'code token' },
      { response_type: 'id_token' },
    ];
    const attempts = variants.map((extra) => async () => {
      const response = await silent({ code_challenge: valid, ...extra });
      const back = response.headers.get('Location') ?? '';
      return /[?#&](code|access_token)=/.test(back);
    });
    const accepted = await record('PKCE missing/plain/malformed (authorize)', attempts);
    expect(accepted).toEqual([]);
  });

  it('a code is refused with a missing, wrong, plain or malformed verifier', async () => {
    const makers: ((verifier: string, challenge: string) => string | undefined)[] = [
      () => undefined,
      () => '',
      () => pkce().verifier,
      (_v, challenge) => challenge, // "plain": the challenge sent back as the verifier
      (v) => v.slice(0, 42),
      (v) => `${v}!`,
      (v) => `${v.slice(0, -1)}${v.endsWith('A') ? 'B' : 'A'}`,
      (v) => v.toUpperCase(),
      (v) => `${v} `,
      (v) => v.padEnd(129, 'a'),
      (v) => s256(v),
      (v) => Buffer.from(v).toString('base64'),
      () => randomBytes(96).toString('base64url'),
    ];
    const attempts = makers.map((make) => async () => {
      const { code, verifier } = await freshCode();
      const response = await exchange({ code, code_verifier: make(verifier, s256(verifier)) });
      return response.status === 200;
    });
    const accepted = await record('PKCE wrong/plain/malformed verifier (token)', attempts);
    expect(accepted).toEqual([]);
  });

  it('a code works once: a replay fails and revokes what the first exchange gave', async () => {
    const attempts = Array.from({ length: 6 }, () => async () => {
      const { code, verifier } = await freshCode();
      const first = await exchangeForTokens(code, verifier);
      const replay = await exchange({ code, code_verifier: verifier });
      const stillWorks = await works(first.access_token ?? '');
      const refreshed = (await refresh(first.refresh_token ?? '')).status === 200;
      return replay.status === 200 || stillWorks || refreshed;
    });
    const accepted = await record('code reuse (sequential)', attempts, 3);
    expect(accepted).toEqual([]);
  });

  it('a code exchanged many times at once gives tokens at most once', async () => {
    const attempts = Array.from({ length: 5 }, () => async () => {
      const { code, verifier } = await freshCode();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => exchange({ code, code_verifier: verifier })),
      );
      return responses.filter((r) => r.status === 200).length > 1;
    });
    const accepted = await record('code reuse (8 concurrent exchanges)', attempts, 1);
    expect(accepted).toEqual([]);
  });

  it('a code issued to one client is refused to another', async () => {
    const clients = ['legacy', 'simple', 'cli', M2M.clientId, 'nope', '', 'SPA', 'spa ', ' spa'];
    const attempts = clients.map((clientId) => async () => {
      const { code, verifier } = await freshCode();
      const response = await exchange({ code, code_verifier: verifier, client_id: clientId });
      return response.status === 200;
    });
    const accepted = await record('code for another client', attempts);
    expect(accepted).toEqual([]);
  });

  it('expired and forged codes are refused', async () => {
    const forged = [
      ...Array.from({ length: 10 }, () => randomBytes(32).toString('base64url')),
      '',
      'null',
      'undefined',
      '__proto__',
      'constructor',
      'a'.repeat(5000),
    ].map(
      (code) => async () =>
        (await exchange({ code, code_verifier: pkce().verifier })).status === 200,
    );
    const expired = async () => {
      const { code, verifier } = await freshCode();
      clock.advance(61_000);
      return (await exchange({ code, code_verifier: verifier })).status === 200;
    };
    const accepted = await record('forged or expired codes', [...forged, expired], 1);
    expect(accepted).toEqual([]);
  });
});

// --- Refresh tokens ----------------------------------------------------------------------------

describe('refresh tokens', () => {
  it('reuse after rotation fails and revokes the whole grant', async () => {
    const attempts = Array.from({ length: 5 }, () => async () => {
      const first = await tokensFor();
      const rotated = (await (await refresh(first.refresh_token)).json()) as Tokens;
      const reuse = await refresh(first.refresh_token);
      const newerWorks = (await refresh(rotated.refresh_token ?? '')).status === 200;
      return reuse.status === 200 || newerWorks || (await works(rotated.access_token ?? ''));
    });
    const accepted = await record('refresh reuse after rotation', attempts, 2);
    expect(accepted).toEqual([]);
  });

  it('a refresh token used many times at once rotates at most once, and the grant ends', async () => {
    const attempts = Array.from({ length: 4 }, () => async () => {
      const { refresh_token } = await tokensFor();
      const responses = await Promise.all(Array.from({ length: 6 }, () => refresh(refresh_token)));
      const ok = responses.filter((r) => r.status === 200);
      if (ok.length > 1) return true;
      const issued = (await ok[0]?.json()) as Tokens | undefined;
      return issued?.access_token ? await works(issued.access_token) : false;
    });
    const accepted = await record('refresh reuse (6 concurrent)', attempts, 1);
    expect(accepted).toEqual([]);
  });

  it('a refresh token is refused to another client and outside its grant', async () => {
    const { refresh_token, access_token } = await tokensFor();
    const attempts = [
      ...['legacy', 'simple', 'cli', M2M.clientId, '', 'SPA'].map(
        (clientId) => async () =>
          (await refresh(refresh_token, { client_id: clientId })).status === 200,
      ),
      async () => (await refresh(access_token)).status === 200,
      async () => (await bearer(emulator, '/userinfo', refresh_token)).status === 200,
      async () =>
        (await refresh(refresh_token, { scope: 'read:current_user offline_access write:maps' }))
          .status === 200,
      async () => (await refresh(refresh_token, { scope: 'admin:account' })).status === 200,
      async () => (await refresh(refresh_token, { scope: 'datasets:rw:*' })).status === 200,
      ...Array.from(
        { length: 10 },
        () => async () => (await refresh(randomBytes(32).toString('base64url'))).status === 200,
      ),
    ];
    const accepted = await record('refresh: other client, escalation, forged', attempts, 1);
    expect(accepted).toEqual([]);
  });

  it('refresh tokens die with revocation, logout and expiry', async () => {
    const attempts = [
      async () => {
        const { refresh_token } = await tokensFor();
        await emulator.fetch(
          new Request(`${ISSUER}/oauth/revoke`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ token: refresh_token, client_id: 'spa' }),
          }),
        );
        return (await refresh(refresh_token)).status === 200;
      },
      async () => {
        // A session of its own, ended by logout: its access and refresh tokens stop working.
        const { code, verifier, browser } = await loginWithCode(emulator, {
          scope: CONSENTED,
          state: 's',
        });
        const tokens = await exchangeForTokens(code, verifier);
        await browser.open(`${ISSUER}/v2/logout`);
        return (
          (await refresh(tokens.refresh_token ?? '')).status === 200 ||
          (await works(tokens.access_token ?? ''))
        );
      },
      async () => {
        const { refresh_token } = await tokensFor();
        clock.advance(3601 * 1000);
        return (await refresh(refresh_token)).status === 200;
      },
    ];
    const accepted = await record('refresh after revoke / logout / expiry', attempts, 1);
    expect(accepted).toEqual([]);
  });
});

// --- Scope escalation --------------------------------------------------------------------------

describe('scope escalation', () => {
  it('unknown or malformed scopes get invalid_scope, never a code', async () => {
    const scopes = [
      'read:everything',
      'admin',
      'root',
      'READ:CONNECTIONS',
      'read:connections\tadmin:account',
      'datasets:r:*;drop',
      'datasets:rw:../x',
      'datasets:x:*',
      'datasets:r:',
      'datasets:r:a.b.c.d',
      'datasets:r:*:*',
      'dataservices:everything',
      'schemas:c:../x',
      'offline_access2',
      'openid\u0000admin',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'read:current_user+admin:account',
    ];
    const attempts = scopes.map((scope) => async () => {
      const response = await silent({ scope });
      const back = new URL(response.headers.get('Location') ?? 'http://x/');
      return back.searchParams.has('code');
    });
    const accepted = await record('unknown scopes (authorize)', attempts);
    expect(accepted).toEqual([]);
  });

  it('prompt=none cannot add scopes the user never allowed', async () => {
    const more = [
      'read:connections',
      'write:maps',
      'datasets:rw:*',
      'admin:account',
      'read:tokens',
    ];
    const attempts = more.map((scope) => async () => {
      const response = await silent({ scope: `${CONSENTED} ${scope}` });
      return location(response).searchParams.has('code');
    });
    const accepted = await record('prompt=none with new scopes', attempts);
    expect(accepted).toEqual([]);
  });

  it('a tampered consent form grants nothing that was not asked for', async () => {
    const extra = [
      'admin:account',
      'write:maps',
      'datasets:rw:*',
      'read:connections',
      'write:tokens',
    ];
    const attempts = extra.map((scope) => async () => {
      const { code, verifier } = await loginWithCode(emulator, {
        browser: session,
        scope: 'read:maps',
        state: 's',
        prompt: 'consent',
        allow: ['read:maps', scope],
      });
      const tokens = await exchangeForTokens(code, verifier);
      return (tokens.scope ?? '').split(' ').includes(scope);
    });
    const accepted = await record('consent form tampering', attempts, 1);
    expect(accepted).toEqual([]);
  });

  it('client_credentials cannot ask for more than the client has', async () => {
    const asks = [
      'write:maps',
      'admin:account',
      'datasets:rw:*',
      'read:connections write:maps',
      'read:current_user',
    ];
    const attempts = asks.map((scope) => async () => {
      const response = await clientCredentials(emulator, M2M.clientId, { scope });
      return response.status === 200;
    });
    const accepted = await record('client_credentials scope escalation', attempts, 1);
    expect(accepted).toEqual([]);
  });

  it('a token is refused on endpoints its scopes do not cover', async () => {
    const table = 'demo.retail_stores';
    const sql = (q: string) => `/v3/sql/carto_dw/query?q=${encodeURIComponent(q)}`;
    const endpoints = {
      connections: '/v3/connections',
      resources: '/v3/connections/carto_dw/resources/demo',
      datasets: '/api/v4/datasets',
      mapTable: `/v3/maps/carto_dw/table?name=${table}`,
      mapQuery: `/v3/maps/carto_dw/query?q=${encodeURIComponent(`SELECT * FROM ${table}`)}`,
      sqlTable: sql(`SELECT count(*) FROM ${table}`),
      isolines: '/v3/lds/isolines?origin=40.4,-3.7&mode=walk&range=600',
      geocode: '/v3/lds/geocoding/geocode?address=Madrid',
      userinfo: '/userinfo',
      model: `/v3/sql/carto_dw/model/formula?type=table&source=${table}&params=${encodeURIComponent('{"column":"*","operation":"count"}')}`,
    };
    type Endpoint = keyof typeof endpoints;
    const cases: [string, Endpoint[]][] = [
      [
        'read:current_user',
        [
          'connections',
          'resources',
          'datasets',
          'mapTable',
          'mapQuery',
          'sqlTable',
          'isolines',
          'geocode',
          'model',
        ],
      ],
      [
        'read:maps',
        ['connections', 'userinfo', 'mapTable', 'sqlTable', 'datasets', 'isolines', 'model'],
      ],
      ['openid', ['connections', 'resources', 'mapTable', 'sqlTable', 'geocode', 'model']],
      [
        'datasets:r:demo.populated_places',
        ['connections', 'userinfo', 'mapTable', 'mapQuery', 'sqlTable', 'isolines', 'model'],
      ],
      [
        'dataservices:isolines',
        ['geocode', 'connections', 'mapTable', 'sqlTable', 'userinfo', 'model'],
      ],
      ['datasets:metadata', ['connections', 'mapTable', 'sqlTable', 'isolines', 'model']],
      [
        'offline_access',
        [
          'connections',
          'resources',
          'datasets',
          'mapTable',
          'sqlTable',
          'userinfo',
          'isolines',
          'geocode',
          'model',
        ],
      ],
    ];
    const attempts: (() => Promise<boolean>)[] = [];
    for (const [scope, refused] of cases) {
      const { code, verifier } = await loginWithCode(emulator, {
        browser: session,
        scope,
        state: 's',
        prompt: 'consent',
      });
      const tokens = await exchangeForTokens(code, verifier);
      for (const name of refused) {
        attempts.push(async () => {
          const response = await bearer(emulator, endpoints[name], tokens.access_token ?? '');
          return response.status < 400;
        });
      }
    }
    // Other kinds of token: M2M (read:connections datasets:r:*), the legacy API token.
    const m2m = (await (await clientCredentials(emulator)).json()) as Tokens;
    attempts.push(
      async () => (await bearer(emulator, '/userinfo', m2m.access_token ?? '')).status < 400,
    );
    attempts.push(
      async () => (await bearer(emulator, endpoints.isolines, m2m.access_token ?? '')).status < 400,
    );
    for (const name of [
      'userinfo',
      'mapTable',
      'sqlTable',
      'isolines',
      'geocode',
      'model',
    ] as const) {
      attempts.push(async () => (await bearer(emulator, endpoints[name], API_TOKEN)).status < 400);
    }
    const accepted = await record('tokens on endpoints beyond their scopes', attempts, 8);
    expect(accepted).toEqual([]);
  });
});
