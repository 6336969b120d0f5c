/**
 * The light/dark choice as the first screen needs it: tiny, so it can run before React renders.
 * With no choice the CSS follows the system (`prefers-color-scheme`); a remembered choice is put
 * on `<html data-theme>`, which the brand's CSS variables read. The rest (following the system,
 * the toggle) is in themeModeStore.ts, loaded with the header's toggle.
 */
export type ThemeMode = 'light' | 'dark';

/** Where the user's choice is remembered (localStorage: a preference, not a secret). */
export const THEME_STORAGE_KEY = 'theme-mode';

/** Puts the remembered choice on `<html>` (call once, before the first render). */
export function applyStoredThemeMode() {
  try {
    // Anything but light or dark is ignored by the CSS (it reads only those two).
    const mode = localStorage.getItem(THEME_STORAGE_KEY);
    if (mode) document.documentElement.dataset.theme = mode;
  } catch {
    // No storage (a sandbox, a privacy setting): the system's mode is shown.
  }
}
