import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { RequireScope } from '../../../src/features/oauth/RequireScope';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { makeApiTokenStore } from '../../utils/apiTokenStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

const feature = (
  <RequireScope scope="read:connections">
    <p>Connections listed</p>
  </RequireScope>
);

describe('RequireScope', () => {
  it('with a login that lacks the scope: says which permission is missing and offers to ask', () => {
    const { store } = makeOAuthTestStore();
    store.dispatch(
      loginSucceeded({
        accessToken: 'a',
        expiresAt: null,
        grantedScopes: ['read:current_user'],
        user: null,
      }),
    );
    renderWithProviders(feature, { store });
    expect(screen.getByRole('status').textContent).toMatch(
      /needs a permission you have not given: List your data warehouse connections/,
    );
    expect(screen.getByRole('button', { name: 'Allow it and log in again' })).toBeEnabled();
    expect(screen.queryByText('Connections listed')).toBeNull();
  });

  it('with a login that has it: shows the feature', () => {
    const { store } = makeOAuthTestStore();
    store.dispatch(
      loginSucceeded({
        accessToken: 'a',
        expiresAt: null,
        grantedScopes: ['read:connections'],
        user: null,
      }),
    );
    renderWithProviders(feature, { store });
    expect(screen.getByText('Connections listed')).toBeInTheDocument();
  });

  it('with an API access token (no login, no scopes to check): shows the feature, never a login', () => {
    renderWithProviders(feature, { store: makeApiTokenStore() });
    expect(screen.getByText('Connections listed')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Allow it and log in again' })).toBeNull();
  });
});
