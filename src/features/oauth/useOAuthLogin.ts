import { useCallback } from 'react';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { selectOAuthError, selectOAuthStatus } from './oauthSlice';
import { startLogin } from './oauthThunks';

/** `login()` must be called from a click handler: it opens the login window synchronously. */
export function useOAuthLogin() {
  const dispatch = useAppDispatch();
  const status = useAppSelector(selectOAuthStatus);
  const error = useAppSelector(selectOAuthError);
  const login = useCallback(
    (options: { scopes?: string[] } = {}) => dispatch(startLogin(options)),
    [dispatch],
  );
  return { login, pending: status === 'pending', error, status };
}
