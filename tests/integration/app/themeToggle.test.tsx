import { afterEach, describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { AppHeader } from '../../../src/components/AppHeader';
import { THEME_STORAGE_KEY } from '../../../src/features/theme/themeMode';
import { renderWithProviders } from '../../utils/renderWithProviders';

afterEach(() => {
  localStorage.clear();
  delete document.documentElement.dataset.theme;
});

describe('the header’s light/dark toggle', () => {
  it('switches the mode, puts it on <html> and remembers it', async () => {
    const { user } = renderWithProviders(<AppHeader appName="Test app" />);
    const toggle = await screen.findByRole('button', { name: 'Dark mode' });
    // jsdom has no matchMedia: the system's setting reads as light.
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(toggle).toHaveAttribute('title', 'Switch to light mode');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    // Back to the system's own mode: the choice is forgotten, the system is followed again.
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});
