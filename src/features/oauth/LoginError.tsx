import { useAppDispatch } from '../../store/hooks';
import { ALLOWED_CALLBACK_DOCS } from '../../../protocol/oauthErrors';
import { loginErrorDismissed } from './oauthSlice';
import { callbackUrl } from './popup';
import { useOAuthLogin } from './useOAuthLogin';

/** What went wrong with the last login, with a retry. The app and its data stay as they were. */
export function LoginError() {
  const dispatch = useAppDispatch();
  const { error, login, pending } = useOAuthLogin();
  if (!error) return null;
  const showCallbackHelp = error.code === 'misconfigured_client' || error.code === 'popup_closed';
  return (
    <div className="notice notice--error" role="alert">
      <p className="notice__message">{error.message}</p>
      {error.detail && <p className="notice__detail">{error.detail}</p>}
      {showCallbackHelp && (
        <p className="notice__detail">
          Developers: the app’s callback URL must be registered exactly as{' '}
          <code>{callbackUrl()}</code> (
          <a href={ALLOWED_CALLBACK_DOCS} target="_blank" rel="noreferrer">
            Allowed Callback URLs
          </a>
          ).
        </p>
      )}
      <div className="notice__actions">
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => void login()}
          disabled={pending}
        >
          Try again
        </button>
        <button type="button" className="btn" onClick={() => dispatch(loginErrorDismissed())}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
