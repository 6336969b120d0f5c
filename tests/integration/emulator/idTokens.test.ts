/**
 * OpenID Connect ID tokens (issue 16): issued when `openid` is granted, by the code exchange
 * and by refresh, signed with the emulator's JWKS, with the claims the scopes allow; validated
 * here by jose and by oauth4webapi (the library the app logs in with).
 */
import { describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oauth from 'oauth4webapi';
import {
  CALLBACK,
  exchangeCode,
  ISSUER,
  loginWithCode,
  makeTestEmulator,
  testClock,
  tokenRequest,
  USER,
  ISSUER_ID,
} from '../../utils/emulatorHarness';

type Emulator = Awaited<ReturnType<typeof makeTestEmulator>>['emulator'];

interface TokenBody {
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
}

async function start() {
  return (await makeTestEmulator(testClock(Date.now()))).emulator;
}

async function verifyIdToken(emulator: Emulator, idToken: string) {
  const jwks = (await (
    await emulator.fetch(new Request(`${ISSUER}/.well-known/jwks.json`))
  ).json()) as JSONWebKeySet;
  const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(jwks), {
    issuer: ISSUER_ID,
    audience: 'spa',
    algorithms: ['RS256'],
  });
  return { payload, protectedHeader };
}

async function login(emulator: Emulator, scope: string, nonce?: string) {
  const { code, verifier } = await loginWithCode(emulator, {
    scope,
    ...(nonce ? { nonce } : {}),
  });
  const response = await exchangeCode(emulator, code, verifier);
  expect(response.status).toBe(200);
  return (await response.json()) as TokenBody;
}

describe('ID tokens', () => {
  it('openid profile email: an RS256 ID token for the client, the nonce echoed, name and e-mail', async () => {
    const emulator = await start();
    const body = await login(emulator, 'openid profile email offline_access', 'n-0S6_WzA2Mj');
    expect(body.id_token).toBeDefined();
    const { payload, protectedHeader } = await verifyIdToken(emulator, body.id_token ?? '');
    expect(protectedHeader.alg).toBe('RS256');
    const userinfo = (await (
      await emulator.fetch(
        new Request(`${ISSUER}/userinfo`, {
          headers: { Authorization: `Bearer ${body.access_token ?? ''}` },
        }),
      )
    ).json()) as Record<string, unknown>;
    expect(payload).toMatchObject({
      iss: ISSUER_ID,
      aud: 'spa',
      azp: 'spa',
      sub: userinfo.sub,
      nonce: 'n-0S6_WzA2Mj',
      email: USER.email,
      email_verified: true,
      name: userinfo.name,
      picture: userinfo.picture,
    });
    expect(payload.auth_time).toBeLessThanOrEqual(payload.iat ?? 0);
    expect(payload.exp).toBeGreaterThan(payload.iat ?? Infinity);
  });

  it('only the claims the scopes allow; no ID token without openid', async () => {
    const emulator = await start();
    const bare = decodeJwt((await login(emulator, 'openid')).id_token ?? '');
    expect(bare.sub).toBeTruthy();
    for (const claim of ['name', 'email', 'picture', 'nonce'])
      expect(bare).not.toHaveProperty(claim);
    const email = decodeJwt((await login(emulator, 'openid email')).id_token ?? '');
    expect(email.email).toBe(USER.email);
    expect(email).not.toHaveProperty('name');
    expect((await login(emulator, 'read:current_user')).id_token).toBeUndefined();
  });

  it('refresh answers a new ID token for the same user and login, without the nonce', async () => {
    const emulator = await start();
    const first = await login(emulator, 'openid email offline_access', 'first-nonce');
    const response = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      client_id: 'spa',
      refresh_token: first.refresh_token ?? '',
    });
    expect(response.status).toBe(200);
    const renewed = (await response.json()) as TokenBody;
    const before = decodeJwt(first.id_token ?? '');
    const { payload: after } = await verifyIdToken(emulator, renewed.id_token ?? '');
    expect(after.sub).toBe(before.sub);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.email).toBe(USER.email);
    expect(after).not.toHaveProperty('nonce');
  });

  it('oauth4webapi validates the code response with its ID token and nonce', async () => {
    const emulator = await start();
    const customFetch = (url: string, init?: RequestInit) => emulator.fetch(new Request(url, init));
    const as = await oauth.processDiscoveryResponse(
      new URL(ISSUER),
      await customFetch(`${ISSUER}/.well-known/openid-configuration`),
    );
    const client: oauth.Client = { client_id: 'spa' };
    const nonce = oauth.generateRandomNonce();
    const { callback, verifier } = await loginWithCode(emulator, {
      scope: 'openid profile',
      state: 'st',
      nonce,
    });
    const params = oauth.validateAuthResponse(as, client, callback, 'st');
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      CALLBACK,
      verifier,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the test emulator's issuer is http, as the app's local one
      { [oauth.customFetch]: customFetch, [oauth.allowInsecureRequests]: true },
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: nonce,
      requireIdToken: true,
    });
    const claims = oauth.getValidatedIdTokenClaims(result);
    expect(claims?.nonce).toBe(nonce);
    expect(claims?.name).toBeTruthy();
  });

  it('refuses a nonce longer than a state may be', async () => {
    const emulator = await start();
    await expect(
      loginWithCode(emulator, { scope: 'openid', nonce: 'x'.repeat(5_000) }),
    ).rejects.toThrow(/authorize answered 30[23]|authorize answered 400/);
  });

  it('discovery lists the claims it issues', async () => {
    const emulator = await start();
    const document = (await (
      await emulator.fetch(new Request(`${ISSUER}/.well-known/openid-configuration`))
    ).json()) as { claims_supported: string[] };
    expect(document.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'aud', 'auth_time', 'nonce', 'email', 'name', 'picture']),
    );
  });
});
