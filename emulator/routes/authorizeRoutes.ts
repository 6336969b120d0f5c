import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AuthContext, RegisteredSpaClient } from '../auth/authContext';
import type { PendingRequest, ResponseMode } from '../auth/authState';
import {
  BINDING_COOKIE,
  cookieOptions,
  DEVICE_COOKIE,
  deviceCookieOptions,
  SESSION_COOKIE,
} from '../auth/cookies';
import { consentPage, errorPage, loginPage } from '../auth/pages';
import { matchesAny } from '../auth/redirectUris';
import { issuerIdentifier } from '../auth/tokens';
import { DUMMY_HASH, randomToken, safeEqual, verifySecret } from '../auth/passwords';
import type { PageEnv } from '../http/env';
import { htmlPage, pageSecurity, webMessagePage } from '../http/pageSecurity';
import { BodyTooLargeError } from '../http/limitedBody';
import { PAGE_FORM_MAX_BYTES, readUrlEncoded } from '../http/oauthForm';
import { parseScope, splitScopes, unknownScopes } from '../../protocol/scopes';

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_STATE_LENGTH = 1024;

type PageContext = Context<PageEnv>;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/**
 * CARTO 3 reads tables through connections: a token with `read:connections` reads every table
 * of the user's connections, and dataset scopes beside it only narrow that to the tables they
 * name (emulator/data/access.ts). So when both are asked for, a dataset scope unticked on its
 * own would change nothing (`datasets:r:*`) or even widen the access (`datasets:r:<table>`):
 * such scopes come with `read:connections`, are shown under it without a checkbox, and are
 * granted exactly when it is. Asked for without `read:connections`, each keeps its checkbox.
 */
const CONNECTIONS_SCOPE = 'read:connections';

function scopesBundledWithConnections(requested: readonly string[]): string[] {
  if (!requested.includes(CONNECTIONS_SCOPE)) return [];
  return requested.filter((scope) => parseScope(scope)?.kind === 'datasets');
}

/** What the user grants, from what was asked and the boxes they left ticked. */
function grantedScopes(requested: readonly string[], ticked: ReadonlySet<string>): string[] {
  const bundled = new Set(scopesBundledWithConnections(requested));
  const connections = ticked.has(CONNECTIONS_SCOPE);
  // Only what was asked for can be granted, whatever the form says.
  return requested.filter((scope) => (bundled.has(scope) ? connections : ticked.has(scope)));
}

/** Builds the redirect back to the client: query for `code`, fragment for `token`. */
function redirectBack(
  ctx: AuthContext,
  redirectUri: string,
  useFragment: boolean,
  params: Record<string, string | null | undefined>,
): string {
  const entries = Object.entries({ ...params, iss: issuerIdentifier(ctx.issuer) }).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  if (useFragment) return `${redirectUri}#${new URLSearchParams(entries).toString()}`;
  const url = new URL(redirectUri);
  for (const [key, value] of entries) url.searchParams.set(key, value);
  return url.toString();
}

/** The authorization endpoint and its login and consent forms: HTML pages, never CORS. */
export function authorizeRoutes(ctx: AuthContext) {
  const pages = pageSecurity(ctx.pages);

  /** Sets (or reuses) the cookie that binds an authorization request to this browser. */
  function browserBinding(c: PageContext): string {
    const existing = getCookie(c, BINDING_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{20,}$/.test(existing)) return existing;
    const binding = randomToken(24);
    setCookie(c, BINDING_COOKIE, binding, cookieOptions);
    return binding;
  }

  function clientName(clientId: string): string {
    return ctx.spaClients.get(clientId)?.client.name ?? clientId;
  }

  /**
   * The answer to an authorization request (a code, a token or an error): in the redirect's
   * query or fragment, or, for `response_mode=web_message`, posted by a page to the redirect
   * URI's origin (an Allowed Web Origin, checked when the request came in).
   */
  function answer(
    c: PageContext,
    target: { redirectUri: string; responseMode: ResponseMode },
    params: Record<string, string | null | undefined>,
  ) {
    if (target.responseMode === 'web_message') {
      const response = Object.fromEntries(
        Object.entries({ ...params, iss: issuerIdentifier(ctx.issuer) }).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      );
      return webMessagePage(c, originOf(target.redirectUri), response);
    }
    return c.redirect(
      redirectBack(ctx, target.redirectUri, target.responseMode === 'fragment', params),
      302,
    );
  }

  function showLogin(
    c: PageContext,
    request: PendingRequest,
    error?: string,
    email?: string,
    status: ContentfulStatusCode = 200,
  ) {
    const org = request.organization
      ? ctx.config.organizations.find((o) => o.id === request.organization)
      : null;
    return htmlPage(
      c,
      'Log in',
      loginPage({
        requestId: request.id,
        csrf: request.csrf,
        clientName: clientName(request.clientId),
        error,
        email,
        demoHint: ctx.demoLogin,
        organization: org ? { name: org.name, sso: org.sso } : null,
      }),
      { status, formTargets: [originOf(request.redirectUri)] },
    );
  }

  function showConsent(c: PageContext, request: PendingRequest, userId: string) {
    const user = ctx.users.get(userId);
    if (!user)
      return htmlPage(c, 'Error', errorPage('Unknown user', 'Log in again.'), { status: 400 });
    const bundled = scopesBundledWithConnections(request.scopes);
    return htmlPage(
      c,
      'Allow access',
      consentPage({
        requestId: request.id,
        csrf: request.csrf,
        clientName: clientName(request.clientId),
        userName: user.name,
        userEmail: user.email,
        scopes: request.scopes.filter((s) => !bundled.includes(s)),
        includedWith: bundled.length > 0 ? { [CONNECTIONS_SCOPE]: bundled } : {},
      }),
      { formTargets: [originOf(request.redirectUri)] },
    );
  }

  /** Issues the code (or, for legacy clients, the token) and redirects back. */
  async function complete(
    c: PageContext,
    request: PendingRequest,
    userId: string,
    granted: string[],
  ) {
    ctx.state.finishRequest(request.id);
    ctx.state.saveConsent(userId, request.clientId, granted);
    const user = ctx.users.get(userId);
    if (!user) throw new Error(`user ${userId} vanished`);
    if (request.responseType === 'code') {
      const code = ctx.state.createCode(
        {
          clientId: request.clientId,
          redirectUri: request.redirectUri,
          codeChallenge: request.codeChallenge,
          userId,
          scopes: granted,
          organization: request.organization ?? user.organization ?? null,
          nonce: request.nonce,
          authTime: ctx.state.authTimeOf(request.sessionKey),
        },
        request.sessionKey,
      );
      return answer(c, request, { code, state: request.state });
    }
    const grantId = ctx.state.createGrant(request.sessionKey);
    const ttl = ctx.config.accessTokenTtlSeconds;
    const { token, jti } = await ctx.tokens.issue(
      {
        sub: user.id,
        userId: user.id,
        clientId: request.clientId,
        scopes: granted,
        account: user.account,
        kind: 'user',
        organization: request.organization ?? user.organization,
      },
      ttl,
    );
    ctx.state.recordAccessToken(grantId, jti, ctx.state.now() + ttl * 1000);
    return answer(c, request, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: String(ttl),
      scope: granted.join(' '),
      user_info_url: `${ctx.issuer}/api/v4/me`,
      state: request.state,
    });
  }

  async function authorize(c: PageContext) {
    const q = c.req.query();
    const client: RegisteredSpaClient | undefined = ctx.spaClients.get(q.client_id ?? '');
    if (!client) {
      return htmlPage(
        c,
        'Unknown application',
        errorPage(
          'Unknown application',
          `There is no OAuth client with client_id "${q.client_id ?? ''}".`,
        ),
        { status: 400 },
      );
    }
    const redirectUri = q.redirect_uri ?? '';
    if (!redirectUri || !matchesAny(client.callbackPatterns, redirectUri)) {
      return htmlPage(
        c,
        'Callback URL not allowed',
        errorPage(
          'Callback URL not allowed',
          redirectUri
            ? `The redirect_uri "${redirectUri}" is not in the Allowed Callback URLs of "${client.client.name}". Add exactly this URL to the client's Allowed Callback URLs.`
            : 'The request has no redirect_uri.',
        ),
        { status: 400 },
      );
    }

    const responseType = q.response_type;
    const modes: ResponseMode[] =
      responseType === 'token' ? ['fragment', 'web_message'] : ['query', 'fragment', 'web_message'];
    const asked = q.response_mode;
    const responseMode: ResponseMode =
      asked !== undefined && modes.includes(asked as ResponseMode)
        ? (asked as ResponseMode)
        : responseType === 'token'
          ? 'fragment'
          : 'query';
    if (
      responseMode === 'web_message' &&
      !matchesAny(client.webOriginPatterns, originOf(redirectUri))
    ) {
      return htmlPage(
        c,
        'Web origin not allowed',
        errorPage(
          'Web origin not allowed',
          `response_mode=web_message posts the answer to ${originOf(redirectUri)}, which is not in the Allowed Web Origins of "${client.client.name}". Add it there.`,
        ),
        { status: 400 },
      );
    }
    const fail = (error: string, description: string) =>
      answer(
        c,
        { redirectUri, responseMode },
        { error, error_description: description, state: q.state },
      );
    if (asked !== undefined && asked !== responseMode) {
      return fail(
        'invalid_request',
        `Unsupported response_mode "${asked}" for response_type "${responseType ?? ''}" (${modes.join(', ')})`,
      );
    }

    if (responseType !== 'code' && responseType !== 'token') {
      return fail('unsupported_response_type', 'response_type must be "code"');
    }
    if (responseType === 'token' && !client.client.legacy) {
      return fail(
        'unauthorized_client',
        'The implicit flow (response_type=token) is only for legacy clients',
      );
    }
    if (q.state !== undefined && q.state.length > MAX_STATE_LENGTH) {
      return fail('invalid_request', 'state is too long');
    }
    if (q.nonce !== undefined && q.nonce.length > MAX_STATE_LENGTH) {
      return fail('invalid_request', 'nonce is too long');
    }
    const scopes = splitScopes(q.scope);
    const unknown = unknownScopes(scopes);
    if (unknown.length > 0) return fail('invalid_scope', `Unknown scope: ${unknown.join(' ')}`);
    if (
      responseType === 'token' &&
      (scopes.includes('offline') || scopes.includes('offline_access'))
    ) {
      return fail('invalid_scope', 'offline access cannot be requested with response_type=token');
    }
    let codeChallenge: string | null = null;
    if (responseType === 'code') {
      const method = q.code_challenge_method;
      if (!q.code_challenge)
        return fail(
          'invalid_request',
          'PKCE is required: send code_challenge with code_challenge_method=S256',
        );
      if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
      if (!S256_CHALLENGE.test(q.code_challenge))
        return fail('invalid_request', 'code_challenge is not a base64url SHA-256 value');
      codeChallenge = q.code_challenge;
    }
    if (q.audience !== undefined && q.audience !== ctx.config.audience) {
      return fail('invalid_request', `Unknown audience "${q.audience}"`);
    }
    const organization = q.organization ?? null;
    if (organization && !ctx.config.organizations.some((o) => o.id === organization)) {
      return fail('invalid_request', `Unknown organization "${organization}"`);
    }
    const prompt = q.prompt;
    if (prompt !== undefined && !['none', 'login', 'consent'].includes(prompt)) {
      return fail('invalid_request', `Unsupported prompt "${prompt}"`);
    }

    const session = prompt === 'login' ? null : ctx.state.session(getCookie(c, SESSION_COOKIE));
    const sessionUser = session?.userId ?? null;
    const request = ctx.state.createRequest({
      clientId: client.client.clientId,
      redirectUri,
      responseType,
      responseMode,
      scopes,
      state: q.state ?? null,
      codeChallenge,
      organization,
      nonce: q.nonce ?? null,
      browserBinding: browserBinding(c),
    });
    // Grants completed in this session are filed under it (logout revokes them); a login on
    // the form replaces it with the new session.
    request.sessionKey = session?.key ?? null;
    if (prompt === 'none') {
      if (!sessionUser) {
        ctx.state.finishRequest(request.id);
        return fail('login_required', 'The user is not logged in');
      }
      if (!ctx.state.consentCovers(sessionUser, request.clientId, scopes)) {
        ctx.state.finishRequest(request.id);
        return fail('consent_required', 'The user has not allowed these scopes yet');
      }
      return complete(c, request, sessionUser, scopes);
    }
    // A remembered session skips the login page, unless it belongs to another organization.
    const sessionFits =
      sessionUser !== null &&
      (organization === null || ctx.users.get(sessionUser)?.organization === organization);
    if (sessionUser && sessionFits) {
      request.userId = sessionUser;
      return showConsent(c, request, sessionUser);
    }
    return showLogin(c, request);
  }

  /**
   * The request a form belongs to, if the form is genuine (CSRF token and browser binding).
   * The body is read under a cap while it streams in (BodyTooLargeError past it); a body that
   * is not a urlencoded form reads as an empty form, so no request matches it.
   */
  async function formRequest(c: PageContext) {
    const fields = (await readUrlEncoded(c, PAGE_FORM_MAX_BYTES)) ?? new Map<string, string[]>();
    /** A field sent once; sent twice it is ambiguous and reads as empty. */
    const text = (name: string) => {
      const values = fields.get(name);
      return values?.length === 1 ? (values[0] ?? '') : '';
    };
    const all = (name: string) => fields.get(name) ?? [];
    const request = ctx.state.getRequest(text('request'));
    const binding = getCookie(c, BINDING_COOKIE) ?? '';
    const genuine =
      request !== null &&
      safeEqual(text('csrf'), request.csrf) &&
      binding !== '' &&
      safeEqual(binding, request.browserBinding);
    return { request: genuine ? request : null, text, all };
  }

  function tooLarge(c: PageContext) {
    return htmlPage(
      c,
      'Form too large',
      errorPage(
        'This form is too large',
        `The emulator reads at most ${PAGE_FORM_MAX_BYTES / 1024} KiB from a login or consent form. Go back to the application and log in again.`,
      ),
      { status: 413 },
    );
  }

  /** Runs a form handler, answering 413 when the body passes its cap. */
  const capped =
    (handler: (c: PageContext) => Promise<Response>) =>
    async (c: PageContext): Promise<Response> => {
      try {
        return await handler(c);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return tooLarge(c);
        throw error;
      }
    };

  function expiredForm(c: PageContext) {
    return htmlPage(
      c,
      'Login expired',
      errorPage(
        'This login form is no longer valid',
        'It expired, was already used, or was not opened in this browser. Go back to the application and log in again.',
      ),
      { status: 400 },
    );
  }

  const app = new Hono<PageEnv>()
    .get('/authorize', pages, authorize)
    .get('/oauth2/authorize', pages, authorize);

  app.post(
    '/authorize/login',
    pages,
    capped(async (c) => {
      const { request, text } = await formRequest(c);
      if (!request) return expiredForm(c);
      const email = text('email').trim();
      const user = ctx.usersByEmail.get(email.toLowerCase());
      const device = getCookie(c, DEVICE_COOKIE);
      // Check-and-count in one synchronous step, before the (asynchronous) password check:
      // concurrent guesses see each other's counts. Policy: THROTTLE_RULES in authState.ts.
      const attempt = ctx.state.beginLogin({
        browser: request.browserBinding,
        account: email,
        userId: user?.id ?? null,
        device,
      });
      if (!attempt.ok) {
        const seconds = Math.ceil(attempt.retryAfterMs / 1000);
        c.header('Retry-After', String(seconds));
        return showLogin(
          c,
          request,
          `Too many failed attempts. Try again in ${seconds} seconds.`,
          email,
          429,
        );
      }
      const ok = await verifySecret(text('password'), user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        attempt.failed();
        return showLogin(c, request, 'Wrong email or password.', email, 401);
      }
      attempt.succeeded();
      setCookie(c, DEVICE_COOKIE, ctx.state.trustDevice(device, user.id), deviceCookieOptions);
      if (request.organization && user.organization !== request.organization) {
        return showLogin(
          c,
          request,
          'This account is not part of the requested organization.',
          email,
          403,
        );
      }
      const session = ctx.state.createSession(user.id);
      setCookie(c, SESSION_COOKIE, session.sid, cookieOptions);
      request.userId = user.id;
      request.sessionKey = session.key;
      return showConsent(c, request, user.id);
    }),
  );

  app.post(
    '/authorize/consent',
    pages,
    capped(async (c) => {
      const { request, text, all } = await formRequest(c);
      if (!request?.userId) return expiredForm(c);
      if (text('decision') !== 'allow') {
        ctx.state.finishRequest(request.id);
        return answer(c, request, {
          error: 'access_denied',
          error_description: 'The user denied access',
          state: request.state,
        });
      }
      const ticked = new Set(all('scope'));
      return complete(c, request, request.userId, grantedScopes(request.scopes, ticked));
    }),
  );

  return app;
}
