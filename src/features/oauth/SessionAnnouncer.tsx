import { useState } from 'react';
import { useAppSelector } from '../../store/hooks';
import { selectOAuthSession, selectOAuthStatus } from './oauthSlice';

/**
 * Says the login's progress to screen readers: logging in, logged in as whom, logged out. What
 * fails is said by the login error and session banners (role=alert / status) themselves.
 */
export function SessionAnnouncer() {
  const status = useAppSelector(selectOAuthStatus);
  const session = useAppSelector(selectOAuthSession);
  const [wasIn, setWasIn] = useState(session !== null);
  if (session && !wasIn) setWasIn(true);
  const text =
    status === 'pending'
      ? 'Logging in…'
      : session
        ? `Logged in as ${session.user?.name ?? 'a CARTO user'}.`
        : wasIn
          ? 'Logged out.'
          : '';
  return (
    <span aria-live="polite" aria-atomic className="visually-hidden">
      {text}
    </span>
  );
}
