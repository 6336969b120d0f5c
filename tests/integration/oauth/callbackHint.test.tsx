import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LoginError } from '../../../src/features/oauth/LoginError';
import { loginFailed } from '../../../src/features/oauth/oauthSlice';
import type { OAuthError } from '../../../protocol/oauthTypes';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

function showError(error: OAuthError) {
  const { store } = makeOAuthTestStore();
  store.dispatch(loginFailed(error));
  renderWithProviders(<LoginError />, { store });
  return screen.getByRole('alert');
}

const HINT = 'Developers: the app’s callback URL must be registered exactly as';

describe('the "register this callback URL" hint for developers', () => {
  it.each<[string, OAuthError]>([
    [
      'a redirect_uri mismatch at the token endpoint',
      {
        code: 'server_error',
        message: 'The login could not be completed (the code was refused). Try again.',
        detail: 'redirect_uri does not match the authorization request',
      },
    ],
    [
      'a misconfigured client about its callback URL',
      {
        code: 'misconfigured_client',
        message: 'CARTO rejected the login request.',
        detail: 'The redirect_uri is not an Allowed Callback URL',
      },
    ],
  ])('shows for %s', (_name, error) => {
    const alert = showError(error);
    expect(alert).toHaveTextContent(HINT);
    expect(alert).toHaveTextContent('http://localhost:5173/oauth-callback.html');
  });

  it.each<[string, OAuthError]>([
    [
      'a network failure',
      { code: 'network_error', message: 'Could not reach CARTO’s login at http://x.' },
    ],
    ['a denial', { code: 'access_denied', message: 'You did not allow access.', detail: 'denied' }],
    ['a closed window', { code: 'popup_closed', message: 'The login window was closed.' }],
    ['a timeout', { code: 'timeout', message: 'The login took too long.' }],
    [
      'a misconfigured client about something else',
      {
        code: 'misconfigured_client',
        message: 'CARTO rejected the login request.',
        detail: 'Unknown audience "x"',
      },
    ],
    [
      'an unknown client id',
      { code: 'misconfigured_client', message: 'CARTO does not know this app’s client id.' },
    ],
  ])('does not show for %s', (_name, error) => {
    const alert = showError(error);
    expect(alert).toHaveTextContent(error.message);
    expect(alert).not.toHaveTextContent(HINT);
    expect(screen.queryByRole('link', { name: 'Allowed Callback URLs' })).not.toBeInTheDocument();
  });
});
