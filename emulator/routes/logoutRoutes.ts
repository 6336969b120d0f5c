import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { AuthContext } from '../auth/authContext';
import { SESSION_COOKIE } from '../auth/cookies';
import { errorPage, loggedOutPage } from '../auth/pages';
import { matchesAny } from '../auth/redirectUris';
import type { PageEnv } from '../http/env';
import { htmlPage, pageSecurity } from '../http/pageSecurity';

/**
 * Auth0's `/v2/logout` (`client_id`, `returnTo`), which is also the discovery document's
 * `end_session_endpoint`, so it takes OpenID Connect RP-Initiated Logout too
 * (`id_token_hint` or `client_id`, `post_logout_redirect_uri`, `state`: oidc-client-ts's
 * `signoutRedirect`). It ends the login session, then returns only to an Allowed Logout URL
 * of that client.
 */
export function logoutRoutes(ctx: AuthContext) {
  return new Hono<PageEnv>().get('/v2/logout', pageSecurity(ctx.pages), async (c) => {
    const q = c.req.query();
    const oidc = q.returnTo === undefined && q.post_logout_redirect_uri !== undefined;
    const returnTo = oidc ? q.post_logout_redirect_uri : q.returnTo;
    const refuse = (message: string) =>
      htmlPage(c, 'Logout URL not allowed', errorPage('Logout URL not allowed', message), {
        status: 400,
      });
    if (returnTo !== undefined) {
      const hinted =
        q.id_token_hint !== undefined ? await ctx.tokens.idTokenClient(q.id_token_hint) : null;
      if (q.id_token_hint !== undefined && hinted === null) {
        return refuse('The id_token_hint is not an ID token of this authorization server.');
      }
      if (hinted !== null && q.client_id !== undefined && hinted !== q.client_id) {
        return refuse(`The id_token_hint was issued to another client than "${q.client_id}".`);
      }
      const clientId = q.client_id ?? hinted ?? '';
      const client = ctx.spaClients.get(clientId);
      if (!client || !matchesAny(client.logoutPatterns, returnTo)) {
        return refuse(`"${returnTo}" is not an Allowed Logout URL of client "${clientId}".`);
      }
    }
    ctx.state.endSession(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    if (returnTo === undefined) return htmlPage(c, 'Logged out', loggedOutPage());
    if (oidc && q.state !== undefined) {
      const target = new URL(returnTo);
      target.searchParams.set('state', q.state);
      return c.redirect(target.toString(), 302);
    }
    return c.redirect(returnTo, 302);
  });
}
