import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { Database } from '../../../emulator/data/database';
import {
  APP,
  bearer,
  clientCredentials,
  exchangeCode,
  ISSUER,
  loginWithCode,
  makeTestEmulator,
  tokenRequest,
} from '../../utils/emulatorHarness';

let database: Database;
let emulator: Emulator;

beforeAll(async () => {
  database = await Database.create();
}, 60_000);

beforeEach(async () => {
  ({ emulator } = await makeTestEmulator(undefined, { data: database }));
});

interface Tokens {
  access_token: string;
  refresh_token?: string;
}

async function tokensFor(scope: string) {
  const flow = await loginWithCode(emulator, { scope });
  const response = await exchangeCode(emulator, flow.code, flow.verifier);
  expect(response.status).toBe(200);
  return { ...((await response.json()) as Tokens), browser: flow.browser };
}

describe('listing connections needs read:connections', () => {
  it('403 naming the scope without it; 200 with it', async () => {
    const { access_token } = await tokensFor('read:current_user datasets:r:*');
    const refused = await bearer(emulator, '/v3/connections', access_token);
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: string };
    expect(body.error).toContain('read:connections');
    expect(refused.headers.get('WWW-Authenticate')).toContain('insufficient_scope');

    const allowed = await tokensFor('read:connections');
    expect((await bearer(emulator, '/v3/connections', allowed.access_token)).status).toBe(200);
  });

  it('a token with no listing scope at all cannot browse a connection', async () => {
    const { access_token } = await tokensFor('read:current_user');
    const refused = await bearer(emulator, '/v3/connections/carto_dw/resources', access_token);
    expect(refused.status).toBe(403);
  });
});

describe('/userinfo needs a profile scope', () => {
  it('403 insufficient_scope without one', async () => {
    const { access_token } = await tokensFor('read:maps');
    const refused = await bearer(emulator, '/userinfo', access_token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain('read:current_user');
    expect(refused.headers.get('WWW-Authenticate')).toContain('insufficient_scope');
  });

  it('an M2M token with data scopes only is refused too', async () => {
    const m2m = await clientCredentials(emulator);
    const { access_token } = (await m2m.json()) as Tokens;
    expect((await bearer(emulator, '/userinfo', access_token)).status).toBe(403);
  });

  it('read:current_user answers the profile; openid alone answers only sub', async () => {
    const full = await tokensFor('read:current_user');
    const info = (await (await bearer(emulator, '/userinfo', full.access_token)).json()) as Record<
      string,
      unknown
    >;
    expect(info).toMatchObject({ sub: 'auth0|demo', email: 'demo@example.com' });

    const openid = await tokensFor('openid');
    const minimal = (await (
      await bearer(emulator, '/userinfo', openid.access_token)
    ).json()) as Record<string, unknown>;
    expect(minimal).toEqual({ sub: 'auth0|demo' });
  });
});

describe('/v2/logout revokes the session’s grants', () => {
  it('access and refresh tokens stop working after logout', async () => {
    const { access_token, refresh_token, browser } = await tokensFor(
      'read:current_user offline_access',
    );
    expect((await bearer(emulator, '/userinfo', access_token)).status).toBe(200);
    const logout = await browser.open(
      `${ISSUER}/v2/logout?client_id=spa&returnTo=${encodeURIComponent(`${APP}/`)}`,
    );
    expect(logout.status).toBe(302);
    expect((await bearer(emulator, '/userinfo', access_token)).status).toBe(401);
    const refresh = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      client_id: 'spa',
      refresh_token: refresh_token ?? '',
    });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('tokens refreshed before the logout are revoked too; other sessions are not', async () => {
    const mine = await tokensFor('read:current_user offline_access');
    const other = await tokensFor('read:current_user offline_access');
    const rotated = (await (
      await tokenRequest(emulator, {
        grant_type: 'refresh_token',
        client_id: 'spa',
        refresh_token: mine.refresh_token ?? '',
      })
    ).json()) as Tokens;
    await mine.browser.open(`${ISSUER}/v2/logout`);
    expect((await bearer(emulator, '/userinfo', rotated.access_token)).status).toBe(401);
    expect((await bearer(emulator, '/userinfo', other.access_token)).status).toBe(200);
  });
});
