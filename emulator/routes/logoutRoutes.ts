import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { AuthContext } from '../auth/authContext';
import { SESSION_COOKIE } from '../auth/cookies';
import { errorPage, loggedOutPage } from '../auth/pages';
import { matchesAny } from '../auth/redirectUris';
import type { PageEnv } from '../http/env';
import { htmlPage, pageSecurity } from '../http/pageSecurity';

/** Auth0's `/v2/logout`: ends the login session, then returns only to an Allowed Logout URL. */
export function logoutRoutes(ctx: AuthContext) {
  return new Hono<PageEnv>().get('/v2/logout', pageSecurity(ctx.pages), (c) => {
    const returnTo = c.req.query('returnTo');
    const clientId = c.req.query('client_id') ?? '';
    if (returnTo !== undefined) {
      const client = ctx.spaClients.get(clientId);
      if (!client || !matchesAny(client.logoutPatterns, returnTo)) {
        return htmlPage(
          c,
          'Logout URL not allowed',
          errorPage(
            'Logout URL not allowed',
            `"${returnTo}" is not an Allowed Logout URL of client "${clientId}".`,
          ),
          { status: 400 },
        );
      }
    }
    ctx.state.endSession(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    if (returnTo !== undefined) return c.redirect(returnTo, 302);
    return htmlPage(c, 'Logged out', loggedOutPage());
  });
}
