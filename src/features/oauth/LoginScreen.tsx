import { useAppSelector } from '../../store/hooks';
import { selectRequestedScopes } from './oauthSlice';
import { describeScope } from '../../../protocol/scopes';
import { OAuthLogin } from './OAuthLogin';
import { LoginNotices } from './LoginNotices';

/** The first screen with `forceOAuthLogin`: what the app is, what it will be allowed to do. */
export function LoginScreen({ appName }: { appName: string }) {
  const scopes = useAppSelector(selectRequestedScopes);
  return (
    <main className="login-screen">
      <div className="login-card">
        <h1>{appName}</h1>
        <p>Log in with your CARTO account to work with your datasets on a map.</p>
        {scopes.length > 0 && (
          <>
            <h2>This app will ask to:</h2>
            <ul aria-label="Requested permissions">
              {scopes.map((scope) => (
                <li key={scope}>{describeScope(scope)}</li>
              ))}
            </ul>
            <p className="muted">You can untick any of them on CARTO’s consent page.</p>
          </>
        )}
        <OAuthLogin />
        <LoginNotices />
      </div>
    </main>
  );
}
