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
    // The web_message answer: framed by that one origin (silent login in a hidden iframe),
    // running only its own nonce-tagged script, and reachable from a popup's opener.
    const framedBy = c.get('framedBy');
    const nonce = c.get('secureHeadersNonce');
    if (csp && framedBy && nonce) {
      c.res.headers.set(
        'Content-Security-Policy',
        csp
          .replace("frame-ancestors 'none'", `frame-ancestors ${framedBy}`)
          .concat(`; script-src 'nonce-${nonce}'`),
      );
      c.res.headers.delete('X-Frame-Options');
      c.res.headers.delete('Cross-Origin-Opener-Policy');
    }
    c.res.headers.set('Cache-Control', 'no-store');
  });
}

/**
 * `response_mode=web_message`: a page that posts the authorization response to `origin` (an
 * Allowed Web Origin of the client), to the window that opened it (popup login) or the one that
 * frames it (silent login), as Auth0's SPA SDK expects: `{type: 'authorization_response',
 * response}`. Only that origin may frame it, and it runs only its own script.
 */
export function webMessagePage(
  c: Context<PageEnv>,
  origin: string,
  response: Record<string, string>,
) {
  const nonce = c.get('secureHeadersNonce');
  if (!nonce) throw new Error('webMessagePage needs the pageSecurity middleware on its route');
  c.set('framedBy', origin);
  // JSON in a script element: `<` escaped, so no value can close the element.
  const data = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  const message = data({ type: 'authorization_response', response });
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorization response</title></head><body><script nonce="${nonce}">(window.opener || window.parent).postMessage(${message}, ${data(origin)});</script></body></html>`,
  );
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
