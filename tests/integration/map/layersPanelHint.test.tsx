import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { LayersPanel } from '../../../src/features/map/LayersPanel';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

function renderAt(path: string, loggedIn: boolean) {
  const { store } = makeOAuthTestStore();
  if (loggedIn)
    store.dispatch(
      loginSucceeded({ accessToken: 'a', expiresAt: null, grantedScopes: [], user: null }),
    );
  return renderWithProviders(
    <MemoryRouter initialEntries={[path]}>
      <LayersPanel />
      <Routes>
        <Route path="/" element={<p>Datasets list</p>} />
        <Route path="*" element={null} />
      </Routes>
    </MemoryRouter>,
    { store },
  );
}

describe('the empty layers panel says what to do first', () => {
  it('logged out: log in', () => {
    renderAt('/', false);
    expect(screen.getByText(/No layers on the map yet\. Log in with CARTO/)).toBeInTheDocument();
  });

  it('logged in, in the datasets view: pick one in the list', () => {
    renderAt('/', true);
    expect(screen.getByText(/Pick a dataset in the list above/)).toBeInTheDocument();
  });

  it('logged in, in another view: a link to the datasets', async () => {
    const { user } = renderAt('/sql', true);
    const link = screen.getByRole('link', { name: 'your datasets' });
    expect(link).toHaveAttribute('href', '/');
    await user.click(link);
    expect(screen.getByText('Datasets list')).toBeInTheDocument();
  });
});
