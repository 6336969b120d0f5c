/**
 * CARTO scope strings written out literally (never built with protocol/scopes.ts), so a bug in
 * the shared grammar shows up here as a refused or wrongly granted scope instead of hiding
 * behind the same code on both sides of the assertion.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { Database } from '../../../emulator/data/database';
import {
  authorizeUrl,
  bearer,
  CALLBACK,
  exchangeCode,
  location,
  M2M,
  makeTestEmulator,
  pkce,
  TestBrowser,
  tokenRequest,
  ISSUER_ID,
} from '../../utils/emulatorHarness';

let database: Database;
let emulator: Emulator;

beforeAll(async () => {
  database = await Database.create();
});

beforeEach(async () => {
  ({ emulator } = await makeTestEmulator(undefined, { data: database }));
});

const EVERY_KIND =
  'datasets:r:demo.retail_stores datasets:rw:* datasets:metadata dataservices:isolines read:connections offline_access schemas:c:demo';

interface TokenBody {
  access_token?: string;
  refresh_token?: string;
  scope?: string;
  error?: string;
  error_description?: string;
}

/** The code flow for `spa`, asking `scope` and allowing `allow` (default: all offered). */
async function authorize(scope: string, allow?: string[]) {
  const browser = new TestBrowser(emulator);
  const { verifier, challenge } = pkce();
  const first = await browser.open(
    authorizeUrl({
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope,
      state: 'scope-test',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
  );
  if (first.status === 302) return { refused: location(first), offered: [], token: null };
  await browser.login();
  const offered = [...browser.lastHtml.matchAll(/name="scope" value="([^"]*)"/g)].map(
    (m) => m[1] ?? '',
  );
  const callback = location(await browser.consent('allow', allow));
  const response = await exchangeCode(emulator, callback.searchParams.get('code') ?? '', verifier);
  expect(response.status).toBe(200);
  return { refused: null, offered, token: (await response.json()) as TokenBody };
}

async function accessToken(scope: string) {
  const { token } = await authorize(scope);
  if (!token?.access_token) throw new Error(`no token for "${scope}"`);
  return token.access_token;
}

const instantiate = (token: string, table: string) =>
  bearer(emulator, `/v3/maps/carto_dw/table?name=${encodeURIComponent(table)}`, token);

describe('/authorize + /oauth/token with literal CARTO scopes', () => {
  it('offers and grants every kind of scope exactly as written', async () => {
    const { offered, token } = await authorize(EVERY_KIND);
    // The dataset scopes come with read:connections (shown under it, no box of their own).
    expect(offered).toEqual([
      'datasets:metadata',
      'dataservices:isolines',
      'read:connections',
      'offline_access',
      'schemas:c:demo',
    ]);
    expect(token?.scope).toBe(EVERY_KIND);
    expect(token?.refresh_token).toEqual(expect.any(String));
  });

  it('also accepts the other documented forms', async () => {
    const scope =
      'datasets:r:* datasets:r:populated_places datasets:rw:demo.retail_stores schemas:c dataservices:geocoding dataservices:routing dataservices:observatory user:profile offline read:current_user openid profile email';
    const { token } = await authorize(scope);
    expect(token?.scope).toBe(scope);
    // CARTO 2's `offline` asks for renewal like `offline_access` does.
    expect(token?.refresh_token).toEqual(expect.any(String));
  });

  it.each([
    'datasets:x:foo',
    'datasets:r',
    'datasets:r:',
    'datasets:read:demo.retail_stores',
    'dataservices:teleport',
    'schemas:r:demo',
    'read:everything',
    'datasets:metadata:x',
  ])('refuses "%s" with invalid_scope, back at the callback', async (bad) => {
    const { refused } = await authorize(`read:connections ${bad}`);
    expect(`${refused?.origin ?? ''}${refused?.pathname ?? ''}`).toBe(CALLBACK);
    expect(refused?.searchParams.get('error')).toBe('invalid_scope');
    expect(refused?.searchParams.get('error_description')).toContain(bad);
    expect(refused?.searchParams.get('state')).toBe('scope-test');
    expect(refused?.searchParams.get('iss')).toBe(ISSUER_ID);
  });

  it('grants only what the user ticks, and a token carries only that', async () => {
    const { token } = await authorize(
      'datasets:r:demo.retail_stores datasets:metadata offline_access',
      ['datasets:r:demo.retail_stores'],
    );
    expect(token?.scope).toBe('datasets:r:demo.retail_stores');
    expect(token?.refresh_token).toBeUndefined();
  });

  it('a refresh may narrow the scope, never widen it', async () => {
    const { token } = await authorize('datasets:r:demo.retail_stores offline_access');
    const narrower = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      client_id: 'spa',
      refresh_token: token?.refresh_token ?? '',
      scope: 'datasets:r:demo.retail_stores',
    });
    const narrowed = (await narrower.json()) as TokenBody;
    expect(narrower.status).toBe(200);
    expect(narrowed.scope).toBe('datasets:r:demo.retail_stores');
    const wider = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      client_id: 'spa',
      refresh_token: narrowed.refresh_token ?? '',
      scope: 'datasets:rw:*',
    });
    expect(wider.status).toBe(400);
    expect(await wider.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'Scopes not in the original grant: datasets:rw:*',
    });
  });

  it('client_credentials: a subset of the client’s scopes, nothing more', async () => {
    const ask = (scope: string) =>
      tokenRequest(emulator, {
        grant_type: 'client_credentials',
        client_id: M2M.clientId,
        client_secret: M2M.clientSecret,
        scope,
      });
    const ok = await ask('datasets:r:*');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as TokenBody).scope).toBe('datasets:r:*');
    const more = await ask('datasets:r:* datasets:rw:*');
    expect(more.status).toBe(400);
    expect(((await more.json()) as TokenBody).error).toBe('invalid_scope');
  });
});

describe('a scope unticked at consent changes what the token may do, or is not offered', () => {
  const APP_SCOPES =
    'read:current_user read:connections datasets:metadata datasets:r:* dataservices:isolines offline_access';

  it('datasets:r:* asked with read:connections comes with it: shown under it, no box of its own', async () => {
    const browser = new TestBrowser(emulator);
    await browser.open(
      authorizeUrl({
        client_id: 'spa',
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: APP_SCOPES,
        state: 's',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }),
    );
    await browser.login();
    expect(browser.lastHtml).toContain('Read all your datasets');
    expect(browser.lastHtml).toContain('comes with access to your connections');
    expect(browser.lastHtml).not.toContain('value="datasets:r:*"');
  });

  it('read:connections ticked: the token carries datasets:r:* too and reads tables', async () => {
    const { offered, token } = await authorize(APP_SCOPES);
    expect(offered).toEqual([
      'read:current_user',
      'read:connections',
      'datasets:metadata',
      'dataservices:isolines',
      'offline_access',
    ]);
    expect(token?.scope).toBe(APP_SCOPES);
    expect((await instantiate(token?.access_token ?? '', 'demo.retail_stores')).status).toBe(200);
  });

  it('read:connections unticked: no dataset scope, and no table can be read', async () => {
    const { token } = await authorize(APP_SCOPES, [
      'read:current_user',
      'datasets:metadata',
      'offline_access',
    ]);
    expect(token?.scope).toBe('read:current_user datasets:metadata offline_access');
    const access = token?.access_token ?? '';
    const table = await instantiate(access, 'demo.retail_stores');
    expect(table.status).toBe(403);
    expect(await table.json()).toEqual({
      error: 'Forbidden: the token may not read "demo.retail_stores"',
      status: 403,
    });
    const sql = await bearer(
      emulator,
      `/v3/sql/carto_dw/query?q=${encodeURIComponent('SELECT count(*) AS n FROM demo.retail_stores')}`,
      access,
    );
    expect(sql.status).toBe(403);
  });

  it('a form that sends datasets:r:* without read:connections does not get it', async () => {
    const { token } = await authorize('read:connections datasets:r:*', ['datasets:r:*']);
    expect(token?.scope).toBe('');
    expect((await instantiate(token?.access_token ?? '', 'demo.retail_stores')).status).toBe(403);
  });

  it('read:connections with datasets:r:demo.retail_stores: unticking cannot widen to every table', async () => {
    const { offered, token } = await authorize('read:connections datasets:r:demo.retail_stores');
    expect(offered).toEqual(['read:connections']);
    expect(token?.scope).toBe('read:connections datasets:r:demo.retail_stores');
    const access = token?.access_token ?? '';
    expect((await instantiate(access, 'demo.retail_stores')).status).toBe(200);
    expect((await instantiate(access, 'demo.populated_places')).status).toBe(403);
  });

  it('datasets:r:* asked alone keeps its box; unticked, the token reads no table', async () => {
    const { offered, token } = await authorize('datasets:r:* datasets:metadata', [
      'datasets:metadata',
    ]);
    expect(offered).toEqual(['datasets:r:*', 'datasets:metadata']);
    expect(token?.scope).toBe('datasets:metadata');
    const access = token?.access_token ?? '';
    expect((await instantiate(access, 'demo.retail_stores')).status).toBe(403);
    expect((await instantiate(access, 'demo.populated_places')).status).toBe(403);
  });
});

describe('what a data endpoint allows, by literal scope', () => {
  it('datasets:r:demo.retail_stores reads that table and no other', async () => {
    const token = await accessToken('datasets:r:demo.retail_stores');
    expect((await instantiate(token, 'demo.retail_stores')).status).toBe(200);
    expect((await instantiate(token, 'retail_stores')).status).toBe(200);
    const other = await instantiate(token, 'demo.populated_places');
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({
      error: 'Forbidden: the token may not read "demo.populated_places"',
      status: 403,
    });
    const sql = await bearer(
      emulator,
      `/v3/sql/carto_dw/query?q=${encodeURIComponent('SELECT count(*) AS n FROM demo.populated_places')}`,
      token,
    );
    expect(sql.status).toBe(403);
    // Listing datasets needs datasets:metadata.
    expect((await bearer(emulator, '/api/v4/datasets', token)).status).toBe(403);
  });

  it('datasets:rw:* reads every table (rw covers r)', async () => {
    const token = await accessToken('datasets:rw:*');
    expect((await instantiate(token, 'demo.populated_places')).status).toBe(200);
    expect((await instantiate(token, 'demo.retail_stores')).status).toBe(200);
  });

  it('datasets:metadata lists only the tables the dataset scopes may read', async () => {
    const token = await accessToken('datasets:metadata datasets:r:demo.retail_stores');
    const response = await bearer(emulator, '/api/v4/datasets', token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { name: string }[] };
    expect(body.result.map((t) => t.name)).toEqual(['retail_stores']);
  });

  it('read:connections (no dataset scope) lists connections and reads their tables', async () => {
    const token = await accessToken('read:connections');
    const connections = await bearer(emulator, '/v3/connections', token);
    expect(connections.status).toBe(200);
    expect(await connections.json()).toEqual([
      expect.objectContaining({ id: 'carto_dw', name: 'carto_dw' }),
    ]);
    expect((await instantiate(token, 'demo.populated_places')).status).toBe(200);
  });

  it('schemas:c:demo and offline_access alone read no table', async () => {
    const token = await accessToken('schemas:c:demo offline_access');
    expect((await instantiate(token, 'demo.retail_stores')).status).toBe(403);
    expect((await bearer(emulator, '/api/v4/datasets', token)).status).toBe(403);
  });

  it('dataservices:isolines opens isolines only', async () => {
    const isolines = '/v3/lds/isolines?origin=40.4,-3.7&mode=walk&range=600';
    const geocode = '/v3/lds/geocoding/geocode?address=Madrid';
    const withScope = await accessToken('dataservices:isolines');
    expect((await bearer(emulator, isolines, withScope)).status).toBe(200);
    expect((await bearer(emulator, geocode, withScope)).status).toBe(403);
    const without = await accessToken('read:connections');
    const refused = await bearer(emulator, isolines, without);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: 'Forbidden: the token needs the dataservices:isolines scope',
      status: 403,
    });
  });
});
