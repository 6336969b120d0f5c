import { lazy, Suspense } from 'react';
import { useAppSelector } from '../../store/hooks';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { selectOAuthError, selectOAuthStatus, selectServerLogoutFailure } from './oauthSlice';

// The notices load when one shows: the first screen does not carry them.
const Notices = lazy(() => import('./loginNoticesChunk'));

/**
 * What went wrong with the last login or logout, and (with `expiry`) that the session expired:
 * each with its retry. The map and its data stay as they were.
 */
export function LoginNotices({ expiry = false }: { expiry?: boolean }) {
  const error = useAppSelector(selectOAuthError);
  const logoutFailure = useAppSelector(selectServerLogoutFailure);
  const expired = useAppSelector(selectOAuthStatus) === 'expired' && expiry;
  if (!error && !logoutFailure && !expired) return null;
  return (
    <ErrorBoundary
      name="login notices"
      // The chunk could not load (offline): the message itself, without its buttons.
      fallback={() => (
        <div className="notice notice--error" role="alert">
          <p className="notice__message">
            {error?.message ??
              (expired
                ? 'Your CARTO session expired. Log in again to keep working.'
                : 'Your CARTO session could not be ended: check your connection.')}
          </p>
        </div>
      )}
    >
      <Suspense fallback={null}>
        <Notices expiry={expiry} />
      </Suspense>
    </ErrorBoundary>
  );
}
