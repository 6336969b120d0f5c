import { Hono } from 'hono';
import type { AuthContext } from '../auth/authContext';
import { readForm } from '../http/oauthForm';
import { OAuthError } from '../http/errors';

/** Token revocation (RFC 7009): always 200, whether or not the token was known. */
export function revokeRoutes(ctx: AuthContext) {
  return new Hono().post('/oauth/revoke', async (c) => {
    const form = await readForm(c);
    if (!form || '__duplicate' in form)
      throw new OAuthError('invalid_request', 'Bad revocation request');
    const token = form.token ?? '';
    if (!token) throw new OAuthError('invalid_request', 'token is required');
    const refresh = ctx.state.getRefreshToken(token);
    if (refresh) {
      if (refresh.clientId === form.client_id) ctx.state.revokeGrant(refresh.grantId);
      return c.body(null, 200);
    }
    try {
      const principal = await ctx.tokens.verify(token);
      if (principal.clientId === form.client_id) {
        ctx.state.revokeAccessToken(principal.jti, principal.expiresAt);
      }
    } catch {
      // Unknown or already invalid: nothing to do (RFC 7009 §2.2).
    }
    return c.body(null, 200);
  });
}
