import { useOAuthLogin } from './useOAuthLogin';

/**
 * The "Login with CARTO" button. While the popup is open it is aria-disabled, not disabled: a
 * disabled button drops the keyboard focus, which then has nowhere to come back to.
 */
export function OAuthLogin({ label = 'Login with CARTO' }: { label?: string }) {
  const { login, pending } = useOAuthLogin();
  return (
    <button
      type="button"
      className="btn btn--login"
      onClick={() => pending || void login()}
      aria-disabled={pending}
    >
      {pending ? 'Logging in…' : label}
    </button>
  );
}
