import type { OAuthError, OAuthErrorCode } from './oauthTypes';

/** A failure of the login flow, with a code the UI turns into a message and a retry. */
export class OAuthFlowError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
    readonly detail?: string,
    /** The authorization server's own error code (RFC 6749), when it sent one. */
    readonly serverCode?: string,
  ) {
    super(message);
    this.name = 'OAuthFlowError';
  }
}

export const ALLOWED_CALLBACK_DOCS =
  'https://docs.carto.com/carto-user-manual/developers/built-applications/creating-a-spa-oauth-client';

/** What each authorization-server error means to the user. */
const SERVER_ERRORS: Record<string, [OAuthErrorCode, string]> = {
  access_denied: [
    'access_denied',
    'You did not allow access, so the app cannot use your CARTO account.',
  ],
  invalid_scope: ['invalid_scope', 'CARTO refused one of the permissions this app asks for.'],
  login_required: ['session_expired', 'Your CARTO session has ended. Log in again.'],
  consent_required: ['access_denied', 'CARTO needs you to allow access again.'],
  unauthorized_client: ['misconfigured_client', 'This app is not allowed to log in this way.'],
  invalid_client: ['misconfigured_client', 'CARTO does not know this app’s client id.'],
  invalid_request: ['misconfigured_client', 'CARTO rejected the login request.'],
  unsupported_response_type: [
    'misconfigured_client',
    'CARTO does not support this login flow for this app.',
  ],
  server_error: ['server_error', 'CARTO had a problem logging you in. Try again in a moment.'],
  temporarily_unavailable: [
    'server_error',
    'CARTO’s login is temporarily unavailable. Try again in a moment.',
  ],
  invalid_grant: [
    'server_error',
    'The login could not be completed (the code was refused). Try again.',
  ],
};

export function serverError(error: string, description?: string | null): OAuthFlowError {
  const [code, message] = SERVER_ERRORS[error] ?? ['unknown', `Login failed (${error}).`];
  return new OAuthFlowError(code, message, description ?? undefined, error);
}

/** The authorization server could not be reached (down, offline, DNS, refused). */
export function unreachableError(server: string): OAuthFlowError {
  return new OAuthFlowError(
    'network_error',
    `Could not reach CARTO’s login at ${server}. Check your connection and try again.`,
  );
}

/** Failures that are never about the callback URL, whatever their text says. */
const NOT_ABOUT_CALLBACK = new Set<OAuthErrorCode>([
  'popup_blocked',
  'popup_closed',
  'timeout',
  'access_denied',
  'invalid_scope',
  'network_error',
  'session_expired',
]);

/**
 * Whether telling a developer to register the app's callback URL can help: only when the
 * server said the redirect URI is the problem (its `error_description`, kept as `detail`).
 * Never for a network failure, a denial, a closed window or a timeout. (A redirect URI that is
 * not registered at all never comes back to the app: the server shows its own error page in
 * the login window, which says which URL to add.)
 */
export function isCallbackProblem(error: Pick<OAuthError, 'code' | 'detail'>): boolean {
  if (NOT_ABOUT_CALLBACK.has(error.code)) return false;
  return /redirect[_ ]?uri|callback url/i.test(error.detail ?? '');
}

/** Turns anything thrown during the flow into the serializable error the store keeps. */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthFlowError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.detail ? { detail: error.detail } : {}),
    };
  }
  if (error instanceof TypeError) {
    // The browser's own text ("Failed to fetch") tells the user nothing more: left out.
    return {
      code: 'network_error',
      message: 'Could not reach CARTO. Check your connection and try again.',
    };
  }
  return {
    code: 'unknown',
    message: 'Login failed unexpectedly. Try again.',
    detail: error instanceof Error ? error.message : String(error),
  };
}

/** Constant-time comparison of two strings (for `state`). */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}
