import { randomToken, sha256Hex } from './passwords';
import { beginAttempt, FailureCounter, type Attempt, type ThrottleRule } from './throttle';

export type ResponseMode = 'query' | 'fragment' | 'web_message';

/** An authorization request between GET /authorize and the redirect back to the client. */
export interface PendingRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  responseType: 'code' | 'token';
  /** How the answer goes back: in the redirect's query or fragment, or posted by a page. */
  responseMode: ResponseMode;
  scopes: string[];
  state: string | null;
  codeChallenge: string | null;
  organization: string | null;
  /** OpenID Connect's `nonce`, echoed in the ID token. */
  nonce: string | null;
  /** CSRF token the login and consent forms must echo. */
  csrf: string;
  /** Random value of the browser's binding cookie: forms posted from elsewhere are refused. */
  browserBinding: string;
  expiresAt: number;
  userId: string | null;
  /** The login session (digest of its cookie) the request completes in: logout revokes it. */
  sessionKey: string | null;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  userId: string;
  scopes: string[];
  organization: string | null;
  expiresAt: number;
  used: boolean;
  /** The grant it started: reusing the code revokes everything issued from it. */
  grantId: string;
  /** OpenID Connect's `nonce` from the authorization request. */
  nonce: string | null;
  /** When the user logged in (ms): the ID token's `auth_time`. */
  authTime: number;
}

export interface RefreshTokenRecord {
  grantId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  organization: string | null;
  /** The grant's absolute end: rotation never extends it. */
  expiresAt: number;
  used: boolean;
  /** When the user logged in (ms): the `auth_time` of ID tokens it renews. */
  authTime: number;
}

interface Grant {
  revoked: boolean;
  /** The login session it was issued in (null for grants without one). */
  sessionKey: string | null;
  accessTokenJtis: { jti: string; expiresAt: number }[];
  refreshTokenHashes: string[];
}

const CODE_TTL_MS = 60_000;
const REQUEST_TTL_MS = 10 * 60_000;
const SESSION_TTL_MS = 12 * 3600_000;
const DEVICE_TTL_MS = 30 * 86_400_000;
const MAX_DEVICES = 50_000;

/**
 * Login throttling policy (see `beginLogin`). Every lock starts at 30 s at the failure that
 * reaches the limit and doubles with each further failure, up to 15 minutes; failures are
 * forgotten 15 minutes after the first one of a run.
 *
 * - per browser and account: 5 failures. Whoever guesses locks themselves out first.
 * - per browser, whatever the account: 20 failures (one browser spraying many accounts).
 * - per account, for browsers not trusted for it: 20 failures. This is the backstop against
 *   an attacker who drops their cookies to get a fresh browser for every guess. It is the
 *   only counter a stranger can push for someone else, so it never applies to a browser
 *   trusted for the account: one that has logged in to it before (the `emu_device` cookie,
 *   OWASP's "device cookie" pattern). A stranger can therefore delay the account's first login
 *   in a new browser while the attack lasts (at most 20 guesses per 15 minutes get through
 *   for them), but cannot lock the real user out of a browser they already use.
 *
 * Client secrets (token endpoint, client_credentials): per client_id, 5 failures, same lock
 * curve. A server has no browser to tell it from an attacker, so the lock applies to the right
 * secret too: a third party who knows a client_id can delay its token requests by the lock
 * time (the answer says when to retry); M2M tokens last long and are cached, and a secret is
 * random and long, so the lock mostly bounds the hashing work an attacker can force.
 */
const LOCK = { windowMs: 15 * 60_000, baseLockMs: 30_000, maxLockMs: 15 * 60_000 };
const THROTTLE_RULES = {
  browserAccount: { maxFailures: 5, ...LOCK },
  browser: { maxFailures: 20, ...LOCK },
  untrustedAccount: { maxFailures: 20, ...LOCK },
  clientSecret: { maxFailures: 5, ...LOCK },
} satisfies Record<string, ThrottleRule>;

/** The authorization server's in-memory state. Secrets are kept as SHA-256 digests. */
export class AuthState {
  private readonly requests = new Map<string, PendingRequest>();
  private readonly sessions = new Map<
    string,
    { userId: string; expiresAt: number; grants: Set<string>; authTime: number }
  >();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly grants = new Map<string, Grant>();
  private readonly revokedJtis = new Map<string, number>();
  private readonly consents = new Map<string, Set<string>>();
  /** Device cookie digest -> the users who logged in with it, and until when it counts. */
  private readonly devices = new Map<string, { userIds: Set<string>; expiresAt: number }>();
  private readonly loginPerBrowserAccount: FailureCounter;
  private readonly loginPerBrowser: FailureCounter;
  private readonly loginPerUntrustedAccount: FailureCounter;
  private readonly clientSecretFailures: FailureCounter;

  constructor(readonly now: () => number) {
    this.loginPerBrowserAccount = new FailureCounter(THROTTLE_RULES.browserAccount, now);
    this.loginPerBrowser = new FailureCounter(THROTTLE_RULES.browser, now);
    this.loginPerUntrustedAccount = new FailureCounter(THROTTLE_RULES.untrustedAccount, now);
    this.clientSecretFailures = new FailureCounter(THROTTLE_RULES.clientSecret, now);
  }

  // Authorization requests -------------------------------------------------------------------

  createRequest(
    fields: Omit<PendingRequest, 'id' | 'csrf' | 'expiresAt' | 'userId' | 'sessionKey'>,
  ): PendingRequest {
    const request: PendingRequest = {
      ...fields,
      id: randomToken(16),
      csrf: randomToken(24),
      expiresAt: this.now() + REQUEST_TTL_MS,
      userId: null,
      sessionKey: null,
    };
    this.requests.set(request.id, request);
    return request;
  }

  getRequest(id: string): PendingRequest | null {
    const request = this.requests.get(id);
    if (!request) return null;
    if (request.expiresAt <= this.now()) {
      this.requests.delete(id);
      return null;
    }
    return request;
  }

  finishRequest(id: string): void {
    this.requests.delete(id);
  }

  // Sessions -----------------------------------------------------------------------------------

  /** A new login session: the cookie value, and the key grants issued in it are filed under. */
  createSession(userId: string): { sid: string; key: string } {
    const sid = randomToken(32);
    const key = sha256Hex(sid);
    this.sessions.set(key, {
      userId,
      authTime: this.now(),
      expiresAt: this.now() + SESSION_TTL_MS,
      grants: new Set(),
    });
    return { sid, key };
  }

  /** The user of a live session, and the session's key. */
  /** When the user of a login session logged in (ms); now for a grant without a session. */
  authTimeOf(sessionKey: string | null): number {
    return (sessionKey ? this.sessions.get(sessionKey)?.authTime : undefined) ?? this.now();
  }

  session(sid: string | undefined): { userId: string; key: string } | null {
    if (!sid) return null;
    const key = sha256Hex(sid);
    const session = this.sessions.get(key);
    if (!session || session.expiresAt <= this.now()) return null;
    return { userId: session.userId, key };
  }

  sessionUser(sid: string | undefined): string | null {
    return this.session(sid)?.userId ?? null;
  }

  /**
   * Ends a login session and revokes every grant issued in it (access and refresh tokens),
   * as CARTO's logout does: a token copied out of the app stops working at logout too.
   */
  endSession(sid: string | undefined): void {
    if (!sid) return;
    const key = sha256Hex(sid);
    const session = this.sessions.get(key);
    if (!session) return;
    for (const grantId of session.grants) this.revokeGrant(grantId);
    this.sessions.delete(key);
  }

  // Consent ------------------------------------------------------------------------------------

  saveConsent(userId: string, clientId: string, scopes: string[]): void {
    this.consents.set(`${userId} ${clientId}`, new Set(scopes));
  }

  consentCovers(userId: string, clientId: string, scopes: string[]): boolean {
    const given = this.consents.get(`${userId} ${clientId}`);
    return given !== undefined && scopes.every((s) => given.has(s));
  }

  // Login throttling (policy: THROTTLE_RULES) -------------------------------------------------

  /**
   * Checks and counts a password attempt in one synchronous step, before the password is
   * verified (see throttle.ts). `browser` is the browser's binding cookie, `account` the
   * e-mail as typed (normalised here), `device` the device cookie if any.
   */
  beginLogin(options: {
    browser: string;
    account: string;
    userId: string | null;
    device: string | undefined;
  }): Attempt {
    const account = options.account.trim().toLowerCase().slice(0, 320);
    const trusted = options.userId !== null && this.isTrustedDevice(options.device, options.userId);
    return beginAttempt([
      {
        counter: this.loginPerBrowserAccount,
        key: `${options.browser} ${account}`,
        clearOnSuccess: true,
      },
      { counter: this.loginPerBrowser, key: options.browser },
      ...(trusted ? [] : [{ counter: this.loginPerUntrustedAccount, key: account }]),
    ]);
  }

  /** Checks and counts a client-secret attempt (token endpoint) before the secret is verified. */
  beginClientAuthentication(clientId: string): Attempt {
    const key = clientId.length > 256 ? sha256Hex(clientId) : clientId;
    return beginAttempt([{ counter: this.clientSecretFailures, key, clearOnSuccess: true }]);
  }

  /**
   * Marks a browser as trusted for `userId` after a successful login; returns the device
   * cookie to set (the same one when the browser already had a valid one).
   */
  trustDevice(device: string | undefined, userId: string): string {
    const now = this.now();
    const known = device && /^[A-Za-z0-9_-]{32,}$/.test(device) ? device : null;
    const entry = known ? this.devices.get(sha256Hex(known)) : undefined;
    if (known && entry && entry.expiresAt > now) {
      entry.userIds.add(userId);
      return known;
    }
    const fresh = randomToken(32);
    this.devices.set(sha256Hex(fresh), {
      userIds: new Set([userId]),
      expiresAt: now + DEVICE_TTL_MS,
    });
    if (this.devices.size > MAX_DEVICES) {
      for (const [key, value] of this.devices) {
        if (value.expiresAt <= now || this.devices.size > MAX_DEVICES) this.devices.delete(key);
        if (this.devices.size <= MAX_DEVICES * 0.9) break;
      }
    }
    return fresh;
  }

  isTrustedDevice(device: string | undefined, userId: string): boolean {
    if (!device) return false;
    const entry = this.devices.get(sha256Hex(device));
    return entry !== undefined && entry.expiresAt > this.now() && entry.userIds.has(userId);
  }

  // Codes, grants and tokens -------------------------------------------------------------------

  createCode(
    fields: Omit<AuthorizationCode, 'expiresAt' | 'used' | 'grantId'>,
    sessionKey: string | null,
  ): string {
    const code = randomToken(32);
    const grantId = this.createGrant(sessionKey);
    this.codes.set(sha256Hex(code), {
      ...fields,
      grantId,
      expiresAt: this.now() + CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  getCode(code: string): AuthorizationCode | null {
    return this.codes.get(sha256Hex(code)) ?? null;
  }

  /** A grant, filed under the login session it was issued in (logout revokes it). */
  createGrant(sessionKey: string | null): string {
    const grantId = randomToken(16);
    this.grants.set(grantId, {
      revoked: false,
      sessionKey,
      accessTokenJtis: [],
      refreshTokenHashes: [],
    });
    if (sessionKey) this.sessions.get(sessionKey)?.grants.add(grantId);
    return grantId;
  }

  isGrantRevoked(grantId: string): boolean {
    return this.grants.get(grantId)?.revoked ?? true;
  }

  /**
   * Files an access token under its grant. A grant revoked while the token was being signed
   * (a replayed code or refresh token, a logout, at the same moment) revokes it at once.
   */
  recordAccessToken(grantId: string, jti: string, expiresAt: number): void {
    const grant = this.grants.get(grantId);
    if (!grant || grant.revoked) this.revokedJtis.set(jti, expiresAt);
    else grant.accessTokenJtis.push({ jti, expiresAt });
  }

  /** Revokes every access and refresh token of a grant (code reuse, refresh-token reuse, logout). */
  revokeGrant(grantId: string): void {
    const grant = this.grants.get(grantId);
    if (!grant) return;
    grant.revoked = true;
    for (const { jti, expiresAt } of grant.accessTokenJtis) this.revokedJtis.set(jti, expiresAt);
    for (const hash of grant.refreshTokenHashes) this.refreshTokens.delete(hash);
  }

  revokeAccessToken(jti: string, expiresAt: number): void {
    this.revokedJtis.set(jti, expiresAt);
  }

  isJtiRevoked = (jti: string): boolean => {
    const until = this.revokedJtis.get(jti);
    if (until === undefined) return false;
    if (until <= this.now()) this.revokedJtis.delete(jti);
    return true;
  };

  issueRefreshToken(record: Omit<RefreshTokenRecord, 'used'>): string {
    const token = randomToken(32);
    const hash = sha256Hex(token);
    this.refreshTokens.set(hash, { ...record, used: false });
    this.grants.get(record.grantId)?.refreshTokenHashes.push(hash);
    return token;
  }

  getRefreshToken(token: string): RefreshTokenRecord | null {
    return this.refreshTokens.get(sha256Hex(token)) ?? null;
  }
}
