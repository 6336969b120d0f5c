/**
 * What Auth0's SPA SDK sends that the token endpoint must take (issue 16): JSON bodies, and
 * its `Auth0-Client` header through CORS, for registered origins only.
 */
import { describe, expect, it } from 'vitest';
import {
  APP,
  CALLBACK,
  ISSUER,
  loginWithCode,
  makeTestEmulator,
  testClock,
} from '../../utils/emulatorHarness';

type Emulator = Awaited<ReturnType<typeof makeTestEmulator>>['emulator'];

const jsonTokenRequest = (emulator: Emulator, body: string, origin = APP) =>
  emulator.fetch(
    new Request(`${ISSUER}/oauth/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: origin,
        'Auth0-Client': btoa(JSON.stringify({ name: 'auth0-spa-js', version: '2.1.3' })),
      },
      body,
    }),
  );

describe('token requests as Auth0’s SDK sends them', () => {
  it('exchanges a code and refreshes with JSON bodies', async () => {
    const { emulator } = await makeTestEmulator(testClock(Date.now()));
    const { code, verifier } = await loginWithCode(emulator, {
      scope: 'openid email offline_access',
    });
    const exchange = await jsonTokenRequest(
      emulator,
      JSON.stringify({
        grant_type: 'authorization_code',
        client_id: 'spa',
        code,
        code_verifier: verifier,
        redirect_uri: CALLBACK,
      }),
    );
    expect(exchange.status).toBe(200);
    expect(exchange.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    const tokens = (await exchange.json()) as { refresh_token: string; id_token?: string };
    expect(tokens.id_token).toBeDefined();
    const refresh = await jsonTokenRequest(
      emulator,
      JSON.stringify({
        grant_type: 'refresh_token',
        client_id: 'spa',
        refresh_token: tokens.refresh_token,
      }),
    );
    expect(refresh.status).toBe(200);
  });

  it.each([
    ['not JSON', '{grant_type:', /not valid JSON/],
    ['a list', '["grant_type"]', /object of parameters/],
    ['a nested value', '{"grant_type":{"a":1}}', /must be text/],
  ])('refuses a JSON body that is %s with invalid_request', async (_, body, message) => {
    const { emulator } = await makeTestEmulator();
    const response = await jsonTokenRequest(emulator, body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: string; error_description: string };
    expect(answer.error).toBe('invalid_request');
    expect(answer.error_description).toMatch(message);
  });

  it('lets the Auth0-Client header through CORS for a registered origin only', async () => {
    const { emulator } = await makeTestEmulator();
    const preflight = (origin: string) =>
      emulator.fetch(
        new Request(`${ISSUER}/oauth/token`, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'auth0-client,content-type',
          },
        }),
      );
    const registered = await preflight(APP);
    expect(registered.status).toBe(204);
    expect(registered.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    expect(registered.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain(
      'auth0-client',
    );
    const stranger = await preflight('https://evil.example.net');
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
