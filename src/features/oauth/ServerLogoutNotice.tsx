import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { selectServerLogoutFailure, serverLogoutNoticeDismissed } from './oauthSlice';
import { retryServerLogout } from './oauthThunks';

/**
 * Logged out of the app, but CARTO's login could not be reached to end the session there: the
 * tab stayed on the app (rather than on the browser's error page) and says so, with a retry.
 */
export function ServerLogoutNotice() {
  const dispatch = useAppDispatch();
  const failure = useAppSelector(selectServerLogoutFailure);
  if (!failure) return null;
  return (
    <div className="notice notice--warning" role="alert">
      <p className="notice__message">
        You are logged out of this app, but your CARTO session could not be ended: CARTO’s login at{' '}
        {failure.server} did not answer. Check your connection and try again, or you may still be
        logged in to CARTO in this browser.
      </p>
      <div className="notice__actions">
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => void dispatch(retryServerLogout())}
        >
          Try again
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => dispatch(serverLogoutNoticeDismissed())}
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}
