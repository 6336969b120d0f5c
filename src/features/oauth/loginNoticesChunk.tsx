import { LoginError } from './LoginError';
import { SessionExpiredBanner } from './SessionExpiredBanner';

/** The login notices, a chunk of their own (see LoginNotices). */
export default function LoginNoticesChunk({ expiry }: { expiry: boolean }) {
  return (
    <>
      <LoginError />
      {expiry && <SessionExpiredBanner />}
    </>
  );
}
