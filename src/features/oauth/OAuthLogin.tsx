import { useOAuthLogin } from './useOAuthLogin';

/** The "Login with CARTO" button. */
export function OAuthLogin({ label = 'Login with CARTO' }: { label?: string }) {
  const { login, pending } = useOAuthLogin();
  return (
    <button
      type="button"
      className="btn btn--login"
      onClick={() => void login()}
      disabled={pending}
    >
      {pending ? 'Logging in…' : label}
    </button>
  );
}
