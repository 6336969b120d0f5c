import { randomToken, sha256Hex } from './passwords';

/** An authorization request between GET /authorize and the redirect back to the client. */
export interface PendingRequest {
  id: string;
  clientId: string;
  redirectUri: string;
  responseType: 'code' | 'token';
  scopes: string[];
  state: string | null;
  codeChallenge: string | null;
  organization: string | null;
  /** CSRF token the login and consent forms must echo. */
  csrf: string;
  /** Random value of the browser's binding cookie: forms posted from elsewhere are refused. */
  browserBinding: string;
  expiresAt: number;
  userId: string | null;
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
}

interface Grant {
  revoked: boolean;
  accessTokenJtis: { jti: string; expiresAt: number }[];
  refreshTokenHashes: string[];
}

const CODE_TTL_MS = 60_000;
const REQUEST_TTL_MS = 10 * 60_000;
const SESSION_TTL_MS = 12 * 3600_000;
const MAX_LOGIN_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;

/** The authorization server's in-memory state. Secrets are kept as SHA-256 digests. */
export class AuthState {
  private readonly requests = new Map<string, PendingRequest>();
  private readonly sessions = new Map<string, { userId: string; expiresAt: number }>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly grants = new Map<string, Grant>();
  private readonly revokedJtis = new Map<string, number>();
  private readonly consents = new Map<string, Set<string>>();
  private readonly loginFailures = new Map<
    string,
    { count: number; first: number; lockedUntil: number }
  >();

  constructor(readonly now: () => number) {}

  // Authorization requests -------------------------------------------------------------------

  createRequest(
    fields: Omit<PendingRequest, 'id' | 'csrf' | 'expiresAt' | 'userId'>,
  ): PendingRequest {
    const request: PendingRequest = {
      ...fields,
      id: randomToken(16),
      csrf: randomToken(24),
      expiresAt: this.now() + REQUEST_TTL_MS,
      userId: null,
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

  createSession(userId: string): string {
    const sid = randomToken(32);
    this.sessions.set(sha256Hex(sid), { userId, expiresAt: this.now() + SESSION_TTL_MS });
    return sid;
  }

  sessionUser(sid: string | undefined): string | null {
    if (!sid) return null;
    const session = this.sessions.get(sha256Hex(sid));
    if (!session || session.expiresAt <= this.now()) return null;
    return session.userId;
  }

  endSession(sid: string | undefined): void {
    if (sid) this.sessions.delete(sha256Hex(sid));
  }

  // Consent ------------------------------------------------------------------------------------

  saveConsent(userId: string, clientId: string, scopes: string[]): void {
    this.consents.set(`${userId} ${clientId}`, new Set(scopes));
  }

  consentCovers(userId: string, clientId: string, scopes: string[]): boolean {
    const given = this.consents.get(`${userId} ${clientId}`);
    return given !== undefined && scopes.every((s) => given.has(s));
  }

  // Login throttling ---------------------------------------------------------------------------

  /** Milliseconds the account must wait before another attempt, or 0. */
  loginLockedFor(email: string): number {
    const entry = this.loginFailures.get(email.toLowerCase());
    return entry ? Math.max(0, entry.lockedUntil - this.now()) : 0;
  }

  /** Records a failure; from the fifth in 15 minutes, each doubles the lock (30 s, 60 s, ...). */
  recordLoginFailure(email: string): void {
    const key = email.toLowerCase();
    const now = this.now();
    const entry = this.loginFailures.get(key);
    const fresh = !entry || now - entry.first > FAILURE_WINDOW_MS;
    const count = fresh ? 1 : entry.count + 1;
    const lockMs =
      count >= MAX_LOGIN_FAILURES
        ? Math.min(30_000 * 2 ** (count - MAX_LOGIN_FAILURES), FAILURE_WINDOW_MS)
        : 0;
    this.loginFailures.set(key, {
      count,
      first: fresh ? now : entry.first,
      lockedUntil: lockMs ? now + lockMs : 0,
    });
  }

  clearLoginFailures(email: string): void {
    this.loginFailures.delete(email.toLowerCase());
  }

  // Codes, grants and tokens -------------------------------------------------------------------

  createCode(fields: Omit<AuthorizationCode, 'expiresAt' | 'used' | 'grantId'>): string {
    const code = randomToken(32);
    const grantId = this.createGrant();
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

  createGrant(): string {
    const grantId = randomToken(16);
    this.grants.set(grantId, { revoked: false, accessTokenJtis: [], refreshTokenHashes: [] });
    return grantId;
  }

  isGrantRevoked(grantId: string): boolean {
    return this.grants.get(grantId)?.revoked ?? true;
  }

  recordAccessToken(grantId: string, jti: string, expiresAt: number): void {
    this.grants.get(grantId)?.accessTokenJtis.push({ jti, expiresAt });
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
