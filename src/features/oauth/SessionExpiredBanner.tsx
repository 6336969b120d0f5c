import { useAppSelector } from '../../store/hooks';
import { selectOAuthStatus } from './oauthSlice';
import { useOAuthLogin } from './useOAuthLogin';

/** Non-blocking: the map, sources and filters stay; logging in again picks up where it was. */
export function SessionExpiredBanner() {
  const status = useAppSelector(selectOAuthStatus);
  const { login } = useOAuthLogin();
  if (status !== 'expired') return null;
  return (
    <div className="notice notice--warning" role="status">
      <p className="notice__message">
        Your CARTO session expired. Log in again to keep working — your map, layers and filters stay
        as they are.
      </p>
      <div className="notice__actions">
        <button type="button" className="btn btn--primary" onClick={() => void login()}>
          Log in again
        </button>
      </div>
    </div>
  );
}
