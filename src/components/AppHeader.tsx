import { lazy, Suspense, useRef, useState, type KeyboardEvent } from 'react';
import { useAppSelector } from '../store/hooks';
import { selectOAuthSession, selectUsesApiKey } from '../features/oauth/oauthSlice';
import { OAuthLogin } from '../features/oauth/OAuthLogin';
import { ThemeModeToggle } from '../features/theme/ThemeModeToggle';
import { ErrorBoundary, isChunkLoadError, type FallbackProps } from './ErrorBoundary';

const UserMenu = lazy(() => import('../features/oauth/UserMenu'));

/** The account menu failed: the user's name stays, with a way back to the menu. */
function MenuUnavailable({ name, error, reset }: FallbackProps & { name: string }) {
  const stale = isChunkLoadError(error);
  return (
    <span className="app-header__user" role="alert">
      {name}{' '}
      <button
        type="button"
        className="btn btn--login"
        onClick={stale ? () => window.location.reload() : reset}
        title={stale ? 'A newer version of the app is available' : 'The account menu failed'}
      >
        {stale ? 'Reload the app' : 'Menu failed: retry'}
      </button>
    </span>
  );
}

/**
 * Plain markup and CSS (no MUI) so the first screen stays small. Below 600 px the account
 * (and whatever else joins it) folds into a menu button; app.css does the folding.
 */
export function AppHeader({ appName }: { appName: string }) {
  const session = useAppSelector(selectOAuthSession);
  const usesApiKey = useAppSelector(selectUsesApiKey);
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  // Escape folds the phone menu back and returns focus to its button. A menu opened inside it
  // (the account's) handles its own Escape first and stops it there.
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    setOpen(false);
    menuButton.current?.focus();
  };
  return (
    <header className="app-header" onKeyDown={closeOnEscape}>
      <h1 className="app-header__title">{appName}</h1>
      <button
        type="button"
        ref={menuButton}
        className="app-header__menu"
        aria-expanded={open}
        aria-controls="app-menu"
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden>☰</span>
        <span className="visually-hidden">App menu</span>
      </button>
      <div id="app-menu" className="app-header__account">
        <ThemeModeToggle />
        {usesApiKey ? (
          <span className="badge" title="Using an API access token: public data only">
            Public data
          </span>
        ) : session ? (
          <ErrorBoundary
            name="user menu"
            fallback={(props) => <MenuUnavailable {...props} name={session.user?.name ?? ''} />}
          >
            <Suspense
              fallback={<span className="app-header__user">{session.user?.name ?? ''}</span>}
            >
              <UserMenu />
            </Suspense>
          </ErrorBoundary>
        ) : (
          <OAuthLogin />
        )}
      </div>
    </header>
  );
}
