import type { ReactNode } from 'react';
import { useAppSelector } from '../../store/hooks';
import { selectGrantedScopes, selectRequestedScopes, selectUsesApiKey } from './oauthSlice';
import { describeScope, hasScope } from '../../../protocol/scopes';
import { useOAuthLogin } from './useOAuthLogin';

/**
 * Shows `children` when the user granted `scope`; otherwise says what is missing and offers to
 * log in again asking for it (incremental consent). Nothing else in the app is reset.
 * With an API access token instead of a login (no client id) there are no granted scopes to
 * check and no login to ask for more: `children` are shown and the platform decides.
 */
export function RequireScope({ scope, children }: { scope: string; children: ReactNode }) {
  const granted = useAppSelector(selectGrantedScopes);
  const requested = useAppSelector(selectRequestedScopes);
  const usesApiKey = useAppSelector(selectUsesApiKey);
  const { login, pending } = useOAuthLogin();
  if (usesApiKey || hasScope(granted, scope)) return children;
  const ask = [...new Set([...requested, ...granted, scope])];
  return (
    <div className="notice notice--info" role="status">
      <p className="notice__message">
        This needs a permission you have not given: <strong>{describeScope(scope)}</strong>.
      </p>
      <div className="notice__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={pending}
          onClick={() => void login({ scopes: ask })}
        >
          Allow it and log in again
        </button>
      </div>
    </div>
  );
}
