import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { AppHeader } from '../../../src/components/AppHeader';
import { renderWithProviders } from '../../utils/renderWithProviders';

describe('the header’s menu (phones)', () => {
  it('opens with its button and closes on Escape, with focus back on the button', async () => {
    const { user } = renderWithProviders(<AppHeader appName="Test app" />);
    const button = screen.getByRole('button', { name: 'App menu' });
    const toggle = await screen.findByRole('button', { name: 'Dark mode' });
    expect(button).toHaveAttribute('aria-expanded', 'false');

    await user.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    // Into the menu: the dark-mode toggle, then Escape.
    await user.tab();
    expect(toggle).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveFocus();

    // Escape with the menu closed changes nothing.
    await user.keyboard('{Escape}');
    expect(button).toHaveAttribute('aria-expanded', 'false');
  });
});
