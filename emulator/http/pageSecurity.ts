import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { page } from '../auth/pages';
import type { PageEnv } from './env';

const FORM_ACTION = "form-action 'self'";

const headers = secureHeaders({
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
  // The login page runs in the app's popup: same-origin COOP would cut it from its opener.
  crossOriginOpenerPolicy: false,
  // Served over plain http on localhost, where HSTS means nothing or worse.
  strictTransportSecurity: false,
});

/**
 * For the authorization server's HTML pages: unframeable, not cached, no referrer, and a CSP
 * that allows only the page's nonce-tagged styles and form posts to itself plus the origins
 * the page names with `htmlPage(..., { formTargets })`. secure-headers fixes its CSP before the
 * handler runs, and a form's redirect target is only known inside it, so they are added after.
 */
export const pageSecurity = createMiddleware<PageEnv>(async (c, next) => {
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
