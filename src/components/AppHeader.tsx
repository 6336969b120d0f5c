import { lazy, Suspense } from 'react';
import { useAppSelector } from '../store/hooks';
import { selectOAuthSession, selectUsesApiKey } from '../features/oauth/oauthSlice';
import { OAuthLogin } from '../features/oauth/OAuthLogin';

const UserMenu = lazy(() => import('../features/oauth/UserMenu'));

/** Plain markup and CSS (no MUI) so the first screen stays small. */
export function AppHeader({ appName }: { appName: string }) {
  const session = useAppSelector(selectOAuthSession);
  const usesApiKey = useAppSelector(selectUsesApiKey);
  return (
    <header className="app-header">
      <h1 className="app-header__title">{appName}</h1>
      <div className="app-header__account">
        {usesApiKey ? (
          <span className="badge" title="Using an API access token: public data only">
            Public data
          </span>
        ) : session ? (
          <Suspense fallback={<span className="app-header__user">{session.user?.name ?? ''}</span>}>
            <UserMenu />
          </Suspense>
        ) : (
          <OAuthLogin />
        )}
      </div>
    </header>
  );
}
