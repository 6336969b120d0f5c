import { lazy, Suspense } from 'react';
import { useAppSelector } from './store/hooks';
import { selectForceOAuthLogin, selectOAuthSession } from './features/oauth/oauthSlice';
import { LoginScreen } from './features/oauth/LoginScreen';
import { AppHeader } from './components/AppHeader';
import { LoginNotices } from './features/oauth/LoginNotices';
import { ErrorBoundary, SectionError } from './components/ErrorBoundary';

const Workspace = lazy(() => import('./Workspace'));

/**
 * The first screen: with `forceOAuthLogin` and no session, only the login screen (nothing else
 * of the app is loaded); otherwise the header and the workspace, which loads on its own.
 */
export function Root({ appName }: { appName: string }) {
  const forceLogin = useAppSelector(selectForceOAuthLogin);
  const session = useAppSelector(selectOAuthSession);
  if (forceLogin && !session) return <LoginScreen appName={appName} />;
  return (
    <div className="shell">
      <AppHeader appName={appName} />
      <div className="shell__notices">
        <LoginNotices expiry />
      </div>
      <ErrorBoundary
        name="workspace"
        fallback={(props) => (
          <div className="shell__error">
            <SectionError {...props} title="The workspace could not be shown" />
          </div>
        )}
      >
        <Suspense
          fallback={
            <div className="shell__loading" role="progressbar" aria-label="Loading workspace" />
          }
        >
          <Workspace />
        </Suspense>
      </ErrorBoundary>
    </div>
  );
}
