import { lazy, Suspense, type ComponentType } from 'react';

// Loads after the first screen (whose budget is spent): the first paint already has the mode.
// A chunk that fails to load leaves the header without the toggle, and the rest working.
const ThemeToggleButton = lazy((): Promise<{ default: ComponentType }> =>
  import('./themeModeStore').catch(() => ({ default: () => null })),
);

/** The header's light/dark switch. */
export function ThemeModeToggle() {
  return (
    <Suspense fallback={null}>
      <ThemeToggleButton />
    </Suspense>
  );
}
