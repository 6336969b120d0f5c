// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import {
  createThemeModeRuntime,
  selectThemeMode,
  storedThemeMode,
  toggledChoice,
} from '../../../src/features/theme/themeModeStore';
import { applyStoredThemeMode, THEME_STORAGE_KEY } from '../../../src/features/theme/themeMode';

/** A `prefers-color-scheme: dark` query the test flips, as the system setting would. */
function fakeMedia(dark: boolean) {
  const listeners = new Set<(event: { matches: boolean }) => void>();
  const media = {
    matches: dark,
    addEventListener: (_type: string, listener: (event: { matches: boolean }) => void) =>
      listeners.add(listener),
  };
  return {
    matchMedia: vi.fn(() => media as unknown as MediaQueryList),
    flip(next: boolean) {
      media.matches = next;
      for (const listener of listeners) listener({ matches: next });
    },
  };
}

function runtime({ dark = false, stored }: { dark?: boolean; stored?: string } = {}) {
  localStorage.clear();
  if (stored) localStorage.setItem(THEME_STORAGE_KEY, stored);
  const root = document.createElement('html');
  const media = fakeMedia(dark);
  const theme = createThemeModeRuntime({
    storage: () => localStorage,
    matchMedia: media.matchMedia,
    root,
  });
  const mode = () => selectThemeMode(theme.store.get());
  return { theme, root, media, mode };
}

describe('light/dark mode', () => {
  it('follows the system setting when the user has not chosen, as it changes', () => {
    const { media, mode, root } = runtime({ dark: true });
    expect(media.matchMedia).toHaveBeenCalledWith('(prefers-color-scheme: dark)');
    expect(mode()).toBe('dark');
    media.flip(false);
    expect(mode()).toBe('light');
    expect(root.dataset.theme).toBeUndefined();
  });

  it('is light without matchMedia (old browsers, jsdom)', () => {
    localStorage.clear();
    const theme = createThemeModeRuntime({
      storage: () => localStorage,
      root: document.createElement('html'),
    });
    expect(selectThemeMode(theme.store.get())).toBe('light');
  });

  it('toggles, remembers the choice and puts it on <html data-theme> for the first screen’s CSS', () => {
    const { theme, mode, root, media } = runtime({ dark: true });
    theme.toggle();
    expect(mode()).toBe('light');
    expect(root.dataset.theme).toBe('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
    // A chosen mode holds when the system changes.
    media.flip(true);
    expect(mode()).toBe('light');
  });

  it('starts from the remembered choice, over the system’s', () => {
    const { mode } = runtime({ dark: true, stored: 'light' });
    expect(mode()).toBe('light');
    expect(storedThemeMode(() => localStorage)).toBe('light');
  });

  it('toggling back to the system’s mode forgets the choice: the system is followed again', () => {
    const { theme, mode, root, media } = runtime({ dark: false });
    theme.toggle();
    expect(mode()).toBe('dark');
    theme.toggle();
    expect(mode()).toBe('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(root.dataset.theme).toBeUndefined();
    media.flip(true);
    expect(mode()).toBe('dark');
  });

  it('the next choice is a pure function of the state', () => {
    expect(toggledChoice({ choice: null, system: 'light' })).toBe('dark');
    expect(toggledChoice({ choice: 'dark', system: 'light' })).toBeNull();
    expect(toggledChoice({ choice: 'light', system: 'dark' })).toBeNull();
    expect(toggledChoice({ choice: null, system: 'dark' })).toBe('light');
  });

  it('the first screen starts in the remembered mode, before React renders', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    applyStoredThemeMode();
    expect(document.documentElement.dataset.theme).toBe('dark');
    delete document.documentElement.dataset.theme;
  });

  it('ignores what it cannot read, and keeps working when storage is refused', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'purple');
    expect(storedThemeMode(() => localStorage)).toBeNull();
    const refused = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    expect(storedThemeMode(refused)).toBeNull();
    const theme = createThemeModeRuntime({
      storage: refused,
      root: document.createElement('html'),
    });
    theme.toggle();
    expect(selectThemeMode(theme.store.get())).toBe('dark');
  });
});
