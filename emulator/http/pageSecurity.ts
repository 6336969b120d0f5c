import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { page } from '../auth/pages';
import type { PageEnv } from './env';

const FORM_ACTION = "form-action 'self'";

/** How the pages are served, beyond what every page gets. */
export interface PageSecurityOptions {
  /**
   * `Cross-Origin-Opener-Policy: same-origin` (`--coop`, EMULATOR_COOP=1). Off by default: the
   * login page runs in the app's popup, and same-origin COOP cuts it from its opener (the app
   * then hears from its callback page by BroadcastChannel). On, the emulator behaves like an
   * authorization server hardened that way, to check that the app copes.
   */
  coop?: boolean;
}

const secure = (coop: boolean) =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: [NONCE],
      imgSrc: ["'self'", 'data:', 'https:'],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginOpenerPolicy: coop ? 'same-origin' : false,
    // Served over plain http on localhost, where HSTS means nothing or worse.
    strictTransportSecurity: false,
  });

const HEADERS = { plain: secure(false), coop: secure(true) };

/**
 * For the authorization server's HTML pages (and their redirects): unframeable, not cached, no
 * referrer, and a CSP that allows only the page's nonce-tagged styles and form posts to itself
 * plus the origins the page names with `htmlPage(..., { formTargets })`. secure-headers fixes
 * its CSP before the handler runs, and a form's redirect target is only known inside it, so
 * they are added after.
 */
export function pageSecurity({ coop = false }: PageSecurityOptions = {}) {
  const headers = coop ? HEADERS.coop : HEADERS.plain;
  return createMiddleware<PageEnv>(async (c, next) => {
    await headers(c, next);
    const targets = c.get('formTargets') ?? [];
    const csp = c.res.headers.get('Content-Security-Policy');
    if (csp && targets.length > 0) {
      c.res.headers.set(
        'Content-Security-Policy',
        csp.replace(FORM_ACTION, `${FORM_ACTION} ${targets.join(' ')}`),
      );
    }
    c.res.headers.set('Cache-Control', 'no-store');
  });
}

type PageBody = Parameters<typeof page>[2];

/** An HTML page; its route must run behind `pageSecurity` (which provides the nonce). */
export function htmlPage(
  c: Context<PageEnv>,
  title: string,
  body: PageBody,
  {
    status = 200,
    formTargets = [],
  }: { status?: ContentfulStatusCode; formTargets?: string[] } = {},
) {
  const nonce = c.get('secureHeadersNonce');
  if (!nonce) throw new Error('htmlPage needs the pageSecurity middleware on its route');
  const targets = formTargets.filter((t) => /^https?:\/\/[^\s;,']+$/.test(t));
  if (targets.length > 0) c.set('formTargets', targets);
  return c.html(page(title, nonce, body), status);
}
