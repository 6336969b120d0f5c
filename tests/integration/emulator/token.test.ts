import { beforeEach, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Emulator } from '../../../emulator/createEmulator';
import {
  bearer,
  CALLBACK,
  exchangeCode,
  ISSUER,
  loginWithCode,
  M2M,
  makeTestEmulator,
  pkce,
  tokenRequest,
  type TestClock,
  ISSUER_ID,
} from '../../utils/emulatorHarness';

let emulator: Emulator;
let clock: TestClock;

beforeEach(async () => {
  ({ emulator, clock } = await makeTestEmulator());
});

interface TokenBody {
  access_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope: string;
  error?: string;
  error_description?: string;
}

async function body(response: Response): Promise<TokenBody> {
  return (await response.json()) as TokenBody;
}

async function tokensFor(scope = 'read:current_user datasets:r:* offline_access') {
  const { code, verifier } = await loginWithCode(emulator, { scope });
  const response = await exchangeCode(emulator, code, verifier);
  expect(response.status).toBe(200);
  return body(response);
}

function refresh(token: string, extra: Record<string, string> = {}) {
  return tokenRequest(emulator, {
    grant_type: 'refresh_token',
    client_id: 'spa',
    refresh_token: token,
    ...extra,
  });
}

describe('authorization_code grant', () => {
  it('returns an RS256 JWT with the granted scopes, verifiable with the JWKS', async () => {
    const tokens = await tokensFor();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(tokens.scope).toBe('read:current_user datasets:r:* offline_access');
    expect(tokens.refresh_token).toBeTruthy();

    const jwksResponse = await emulator.fetch(new Request(`${ISSUER}/.well-known/jwks.json`));
    const jwks = (await jwksResponse.json()) as Parameters<typeof createLocalJWKSet>[0];
    const { payload, protectedHeader } = await jwtVerify(
      tokens.access_token,
      createLocalJWKSet(jwks),
      { issuer: ISSUER_ID, audience: 'carto-cloud-native-api', currentDate: new Date(clock.now()) },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'auth0|demo',
      client_id: 'spa',
      account_name: 'demo',
      scope: 'read:current_user datasets:r:* offline_access',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });

  it('another emulator refuses the token, even signing with the same key pair', async () => {
    const tokens = await tokensFor();
    // The test emulators share one key pair (tests/utils/emulatorHarness.ts); each has its own kid.
    const other = await makeTestEmulator(clock);
    const [mine, theirs] = await Promise.all(
      [emulator, other.emulator].map(async (e) =>
        e
          .fetch(new Request(`${ISSUER}/.well-known/jwks.json`))
          .then(async (r) => ((await r.json()) as { keys: { kid: string; n: string }[] }).keys[0]!),
      ),
    );
    expect(theirs!.n).toBe(mine!.n);
    expect(theirs!.kid).not.toBe(mine!.kid);
    expect((await bearer(emulator, '/userinfo', tokens.access_token)).status).toBe(200);
    const refused = await bearer(other.emulator, '/userinfo', tokens.access_token);
    expect(refused.status).toBe(401);
  });

  it('no refresh token unless offline access was granted', async () => {
    const tokens = await tokensFor('read:current_user');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('the token carries only what the user ticked', async () => {
    const { browser } = await loginWithCode(emulator, { scope: 'read:current_user' });
    // Second login with a consent form where only one of two scopes stays ticked.
    const { challenge, verifier } = pkce();
    await browser.open(
      `${ISSUER}/authorize?${new URLSearchParams({
        client_id: 'spa',
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: 'read:current_user read:maps',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString()}`,
    );
    const back = await browser.consent('allow', ['read:maps', 'write:maps']);
    const code = new URL(back.headers.get('Location') ?? '').searchParams.get('code') ?? '';
    const tokens = await body(await exchangeCode(emulator, code, verifier));
    expect(tokens.scope).toBe('read:maps');
  });

  it.each([
    ['a wrong verifier', () => pkce().verifier],
    ['a malformed verifier', () => 'too-short'],
    ['a verifier with bad characters', () => `${'a'.repeat(43)}!`],
  ])('refuses %s with invalid_grant', async (_name, makeVerifier) => {
    const { code } = await loginWithCode(emulator);
    const response = await exchangeCode(emulator, code, makeVerifier());
    expect(response.status).toBe(400);
    expect((await body(response)).error).toBe('invalid_grant');
  });

  it('refuses a missing verifier, another client or another redirect URI', async () => {
    const first = await loginWithCode(emulator);
    const missing = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      client_id: 'spa',
      code: first.code,
      redirect_uri: CALLBACK,
    });
    expect((await body(missing)).error).toBe('invalid_grant');

    const second = await loginWithCode(emulator);
    const otherClient = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      client_id: 'legacy',
      code: second.code,
      code_verifier: second.verifier,
      redirect_uri: CALLBACK,
    });
    expect((await body(otherClient)).error).toBe('invalid_grant');

    const third = await loginWithCode(emulator);
    const otherRedirect = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      client_id: 'spa',
      code: third.code,
      code_verifier: third.verifier,
      redirect_uri: `${CALLBACK}?x`,
    });
    expect((await body(otherRedirect)).error).toBe('invalid_grant');
  });

  it('a code works once; reusing it fails and revokes the tokens it gave', async () => {
    const { code, verifier } = await loginWithCode(emulator);
    const first = await body(await exchangeCode(emulator, code, verifier));
    expect((await bearer(emulator, '/userinfo', first.access_token)).status).toBe(200);

    const replay = await exchangeCode(emulator, code, verifier);
    expect(replay.status).toBe(400);
    expect((await body(replay)).error).toBe('invalid_grant');
    expect((await bearer(emulator, '/userinfo', first.access_token)).status).toBe(401);
    expect((await body(await refresh(first.refresh_token ?? ''))).error).toBe('invalid_grant');
  });

  it('a code expires after 60 seconds', async () => {
    const { code, verifier } = await loginWithCode(emulator);
    clock.advance(60_001);
    expect((await body(await exchangeCode(emulator, code, verifier))).error).toBe('invalid_grant');
  });

  it('answers with Cache-Control: no-store', async () => {
    const { code, verifier } = await loginWithCode(emulator);
    const response = await exchangeCode(emulator, code, verifier);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });
});

describe('refresh_token grant', () => {
  it('rotates: each use returns a new refresh token and the old one stops working', async () => {
    const tokens = await tokensFor();
    const rotated = await body(await refresh(tokens.refresh_token ?? ''));
    expect(rotated.access_token).toBeTruthy();
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    const again = await body(await refresh(rotated.refresh_token ?? ''));
    expect(again.access_token).toBeTruthy();
  });

  it('reusing an old refresh token revokes the whole grant', async () => {
    const tokens = await tokensFor();
    const rotated = await body(await refresh(tokens.refresh_token ?? ''));
    const reuse = await refresh(tokens.refresh_token ?? '');
    expect((await body(reuse)).error).toBe('invalid_grant');
    // The attacker's (or the victim's) newer token is gone too, and so are the access tokens.
    expect((await body(await refresh(rotated.refresh_token ?? ''))).error).toBe('invalid_grant');
    expect((await bearer(emulator, '/userinfo', rotated.access_token)).status).toBe(401);
  });

  it('scope may shrink, never grow', async () => {
    const tokens = await tokensFor();
    const smaller = await body(
      await refresh(tokens.refresh_token ?? '', { scope: 'read:current_user offline_access' }),
    );
    expect(smaller.scope).toBe('read:current_user offline_access');
    const grow = await refresh(smaller.refresh_token ?? '', {
      scope: 'read:current_user write:maps',
    });
    expect((await body(grow)).error).toBe('invalid_scope');
  });

  it('a rotated token never outlives the original grant', async () => {
    const tokens = await tokensFor();
    clock.advance(3000 * 1000);
    const rotated = await body(await refresh(tokens.refresh_token ?? ''));
    clock.advance(601 * 1000); // past the original 3600 s
    expect((await body(await refresh(rotated.refresh_token ?? ''))).error).toBe('invalid_grant');
  });

  it('is bound to the client it was issued to', async () => {
    const tokens = await tokensFor();
    const response = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      client_id: 'legacy',
      refresh_token: tokens.refresh_token ?? '',
    });
    expect((await body(response)).error).toBe('invalid_grant');
  });
});

describe('client_credentials grant (M2M)', () => {
  it('issues a token with the client’s scopes (form or Basic authentication)', async () => {
    const form = await tokenRequest(emulator, {
      grant_type: 'client_credentials',
      client_id: M2M.clientId,
      client_secret: M2M.clientSecret,
      audience: 'carto-cloud-native-api',
    });
    expect(form.status).toBe(200);
    const tokens = await body(form);
    expect(tokens.scope).toBe('read:connections datasets:r:*');
    expect(tokens.refresh_token).toBeUndefined();

    const basic = await tokenRequest(
      emulator,
      { grant_type: 'client_credentials' },
      {
        Authorization: `Basic ${Buffer.from(`${M2M.clientId}:${M2M.clientSecret}`).toString('base64')}`,
      },
    );
    expect(basic.status).toBe(200);
  });

  it('wrong secret or unknown client -> 401 invalid_client', async () => {
    for (const [id, secret] of [
      [M2M.clientId, 'wrong'],
      ['nobody', M2M.clientSecret],
      [M2M.clientId, ''],
    ]) {
      const response = await tokenRequest(emulator, {
        grant_type: 'client_credentials',
        client_id: id ?? '',
        client_secret: secret ?? '',
      });
      expect(response.status).toBe(401);
      expect((await body(response)).error).toBe('invalid_client');
    }
  });

  it('refuses scopes the client does not have', async () => {
    const response = await tokenRequest(emulator, {
      grant_type: 'client_credentials',
      client_id: M2M.clientId,
      client_secret: M2M.clientSecret,
      scope: 'write:maps',
    });
    expect((await body(response)).error).toBe('invalid_scope');
  });
});

describe('bad token requests get JSON errors', () => {
  it.each([
    ['no grant_type', { client_id: 'spa' }, 'invalid_request'],
    ['an unknown grant_type', { grant_type: 'password' }, 'unsupported_grant_type'],
  ])('%s', async (_name, fields, error) => {
    const response = await tokenRequest(emulator, fields);
    expect(response.status).toBe(400);
    expect((await body(response)).error).toBe(error);
  });

  it('neither a form nor JSON, a repeated parameter, an oversize body', async () => {
    const text = await emulator.fetch(
      new Request(`${ISSUER}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: 'grant_type=client_credentials',
      }),
    );
    expect(text.status).toBe(400);
    expect((await body(text)).error).toBe('invalid_request');

    const twice = await emulator.fetch(
      new Request(`${ISSUER}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&refresh_token=a&refresh_token=b',
      }),
    );
    expect((await body(twice)).error_description).toContain('refresh_token');

    const huge = await tokenRequest(emulator, { grant_type: 'x', pad: 'x'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expect((await body(huge)).error).toBe('invalid_request');
  });
});

describe('revocation and expiry', () => {
  it('revoking the refresh token ends the session', async () => {
    const tokens = await tokensFor();
    const revoke = await emulator.fetch(
      new Request(`${ISSUER}/oauth/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token: tokens.refresh_token ?? '',
          client_id: 'spa',
        }).toString(),
      }),
    );
    expect(revoke.status).toBe(200);
    expect((await body(await refresh(tokens.refresh_token ?? ''))).error).toBe('invalid_grant');
    expect((await bearer(emulator, '/userinfo', tokens.access_token)).status).toBe(401);
  });

  it('revoking an access token; unknown tokens are fine too (RFC 7009)', async () => {
    const tokens = await tokensFor('read:current_user');
    const revoke = (token: string) =>
      emulator.fetch(
        new Request(`${ISSUER}/oauth/revoke`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, client_id: 'spa' }).toString(),
        }),
      );
    expect((await revoke(tokens.access_token)).status).toBe(200);
    expect((await bearer(emulator, '/userinfo', tokens.access_token)).status).toBe(401);
    expect((await revoke('never-issued')).status).toBe(200);
  });

  it('an access token stops working when it expires', async () => {
    const tokens = await tokensFor('read:current_user');
    expect((await bearer(emulator, '/userinfo', tokens.access_token)).status).toBe(200);
    clock.advance(301 * 1000);
    const expired = await bearer(emulator, '/userinfo', tokens.access_token);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: string }).error).toContain('expired');
    expect(expired.headers.get('WWW-Authenticate')).toContain('invalid_token');
  });
});
