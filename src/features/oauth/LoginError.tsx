import { useAppDispatch } from '../../store/hooks';
import { ALLOWED_CALLBACK_DOCS, isCallbackProblem } from '../../../protocol/oauthErrors';
import { loginErrorDismissed } from './oauthSlice';
import { callbackUrl } from './popup';
import { useOAuthLogin } from './useOAuthLogin';
import { ServerLogoutNotice } from './ServerLogoutNotice';

/**
 * What went wrong with the last login (or logout), with a retry. The app and its data stay as
 * they were. Mounted wherever login errors show, so the logout notice shows there too.
 */
export function LoginError() {
  return (
    <>
      <ServerLogoutNotice />
      <LastLoginError />
    </>
  );
}

function LastLoginError() {
  const dispatch = useAppDispatch();
  const { error, login, pending } = useOAuthLogin();
  if (!error) return null;
  const showCallbackHelp = isCallbackProblem(error);
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
