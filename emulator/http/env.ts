import type { SecureHeadersVariables } from 'hono/secure-headers';
import type { Principal } from '../auth/tokens';

/** Routes behind `requireBearer`: the verified caller is on the context. */
export interface AuthEnv {
  Variables: { principal: Principal };
}

/**
 * Routes behind `pageSecurity`: the CSP nonce, where the page's forms may lead, and the one
 * origin that may frame it (the `web_message` answer page).
 */
export interface PageEnv {
  Variables: SecureHeadersVariables & { formTargets?: string[]; framedBy?: string };
}
