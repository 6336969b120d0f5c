import { useSyncExternalStore } from 'react';
import { createExternalStore, type ExternalStore } from '../../lib/externalStore';
import { THEME_STORAGE_KEY, type ThemeMode } from './themeMode';

/** The remembered choice, if any (storage may be missing or refused: then none). */
export function storedThemeMode(storage: () => Pick<Storage, 'getItem'>): ThemeMode | null {
  try {
    const value = storage().getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

/** The user's choice (null: follow the system) and the system's setting. */
export interface ThemeModeState {
  choice: ThemeMode | null;
  system: ThemeMode;
}

/** The mode shown: the user's choice, else the system's. */
export const selectThemeMode = (state: ThemeModeState): ThemeMode => state.choice ?? state.system;

/**
 * The choice after a toggle: the other mode, forgotten when it is the system's own (so a user
 * who switches back follows the system again, as before they touched the toggle).
 */
export function toggledChoice(state: ThemeModeState): ThemeMode | null {
  const next: ThemeMode = selectThemeMode(state) === 'dark' ? 'light' : 'dark';
  return next === state.system ? null : next;
}

interface ThemeModeHost {
  storage: () => Storage;
  /** `window.matchMedia`, where the browser has it. */
  matchMedia?: (query: string) => MediaQueryList;
  root: HTMLElement;
  /** Where `storage` events arrive from other tabs. */
  events?: Pick<Window, 'addEventListener'>;
}

export interface ThemeModeRuntime {
  store: ExternalStore<ThemeModeState>;
  toggle: () => void;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * The mode, its effects kept here (the state change itself is `toggledChoice`, pure): the choice
 * goes to storage and to `<html data-theme>` (the first screen's CSS), the system's setting and
 * other tabs' choices are followed as they change.
 */
export function createThemeModeRuntime(host: ThemeModeHost): ThemeModeRuntime {
  const media = host.matchMedia?.(DARK_QUERY);
  const store = createExternalStore<ThemeModeState>(
    { choice: storedThemeMode(host.storage), system: media?.matches ? 'dark' : 'light' },
    (a, b) => a.choice === b.choice && a.system === b.system,
  );
  const show = (choice: ThemeMode | null) => {
    if (choice) host.root.dataset.theme = choice;
    else delete host.root.dataset.theme;
    store.set({ ...store.get(), choice });
  };
  media?.addEventListener('change', (event) =>
    store.set({ ...store.get(), system: event.matches ? 'dark' : 'light' }),
  );
  host.events?.addEventListener('storage', (event) => {
    if (event.key === THEME_STORAGE_KEY || event.key === null) show(storedThemeMode(host.storage));
  });
  return {
    store,
    toggle: () => {
      const choice = toggledChoice(store.get());
      try {
        if (choice) host.storage().setItem(THEME_STORAGE_KEY, choice);
        else host.storage().removeItem(THEME_STORAGE_KEY);
      } catch {
        // Storage refused (private mode, sandbox): the choice holds until the page closes.
      }
      show(choice);
    },
  };
}

/** The page's one runtime. */
const themeMode = createThemeModeRuntime({
  storage: () => window.localStorage,
  matchMedia: typeof window.matchMedia === 'function' ? (q) => window.matchMedia(q) : undefined,
  root: document.documentElement,
  events: window,
});

const getMode = () => selectThemeMode(themeMode.store.get());

/** The mode shown now (light or dark), re-rendering when it changes. */
export function useThemeMode(): ThemeMode {
  return useSyncExternalStore(themeMode.store.subscribe, getMode);
}

/**
 * The header's light/dark switch: plain markup (the header has no MUI), a sun or a moon. Here,
 * not in a module of its own, so that the header loads one chunk for it (ThemeModeToggle.tsx).
 */
export default function ThemeToggleButton() {
  const dark = useThemeMode() === 'dark';
  return (
    <button
      type="button"
      className="icon-btn"
      aria-label="Dark mode"
      aria-pressed={dark}
      title={dark ? 'Switch to light mode' : 'Switch to dark mode'}
      onClick={themeMode.toggle}
    >
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="currentColor">
        {dark ? (
          <>
            <circle cx="12" cy="12" r="4.5" />
            <path
              d="M12 2v2m0 16v2M2 12h2m16 0h2M4.9 4.9l1.4 1.4m11.4 11.4 1.4 1.4M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
            />
          </>
        ) : (
          <path d="M12 3a9 9 0 1 0 9 9c0-.46-.04-.92-.1-1.36a5.4 5.4 0 0 1-9.76-3.14c0-1.81.89-3.42 2.26-4.4A9.5 9.5 0 0 0 12 3z" />
        )}
      </svg>
    </button>
  );
}
