import {
  compactVerify,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type GenerateKeyPairResult,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { randomToken } from './passwords';

/** Who is calling a data endpoint, and what they may do. */
export interface Principal {
  kind: 'user' | 'm2m' | 'api_token';
  userId: string;
  account: string;
  scopes: string[];
  clientId: string | null;
}

export interface AccessTokenClaims {
  sub: string;
  /** The user whose data the token acts on (the user, or an M2M client's owner). */
  userId: string;
  clientId: string;
  scopes: string[];
  account: string;
  kind: 'user' | 'm2m';
  organization?: string;
}

/** What an OpenID Connect ID token says about the user who logged in. */
export interface IdTokenClaims {
  sub: string;
  clientId: string;
  /** When the user logged in (ms). */
  authTime: number;
  nonce: string | null;
  /** Profile and e-mail claims, as the granted scopes allow. */
  profile: Record<string, string | boolean | undefined>;
}

export class InvalidTokenError extends Error {}

/**
 * The issuer identifier (`iss` in tokens and authorization responses, `issuer` in discovery):
 * the issuer URL with a trailing slash, as Auth0 and CARTO write it (`https://auth.carto.com/`).
 * Auth0's SDK accepts only `${domain}/` (it can be set to nothing else for an http issuer);
 * OpenID clients compare it with discovery's `issuer`, which is this same string. Endpoint URLs
 * stay `${issuerUrl}/path`.
 */
export function issuerIdentifier(issuerUrl: string): string {
  return issuerUrl.endsWith('/') ? issuerUrl : `${issuerUrl}/`;
}

/**
 * Signs and verifies the emulator's RS256 access tokens with a key made at start-up. Each
 * instance has its own key id (`kid`), and verifies a token only by the key its header names:
 * a token from another instance is refused even when a key pair is handed in (tests share one).
 */
export class TokenService {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    private readonly issuer: string,
    private readonly audience: string,
    private readonly now: () => number,
    private readonly isRevoked: (jti: string) => boolean,
  ) {}

  static async create(options: {
    issuer: string;
    audience: string;
    now: () => number;
    isRevoked: (jti: string) => boolean;
    /** An RS256 key pair to sign with, instead of making one (about 135 ms of CPU). */
    keyPair?: Promise<GenerateKeyPairResult>;
  }): Promise<TokenService> {
    const { privateKey, publicKey } = await (options.keyPair ??
      generateKeyPair('RS256', { extractable: true }));
    const publicJwk = {
      ...(await exportJWK(publicKey)),
      kid: randomToken(8),
      alg: 'RS256',
      use: 'sig',
    };
    return new TokenService(
      privateKey,
      publicJwk,
      issuerIdentifier(options.issuer),
      options.audience,
      options.now,
      options.isRevoked,
    );
  }

  get jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async issue(
    claims: AccessTokenClaims,
    ttlSeconds: number,
  ): Promise<{ token: string; jti: string }> {
    const jti = randomToken(16);
    const iat = Math.floor(this.now() / 1000);
    const token = await new SignJWT({
      scope: claims.scopes.join(' '),
      client_id: claims.clientId,
      azp: claims.clientId,
      account_name: claims.account,
      user_id: claims.userId,
      gty: claims.kind === 'm2m' ? 'client-credentials' : undefined,
      org_id: claims.organization,
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(claims.sub)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(this.privateKey);
    return { token, jti };
  }

  /**
   * An OpenID Connect ID token (RS256, the same key as the access tokens): issued to the
   * client (`aud`, `azp`), with `auth_time`, the request's `nonce` and the profile claims.
   */
  async issueIdToken(claims: IdTokenClaims, ttlSeconds: number): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({
      ...claims.profile,
      azp: claims.clientId,
      auth_time: Math.floor(claims.authTime / 1000),
      ...(claims.nonce !== null ? { nonce: claims.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(claims.clientId)
      .setSubject(claims.sub)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(this.privateKey);
  }

  /**
   * The client an ID token of this emulator was issued to, or null. For `id_token_hint` at
   * logout: signature and issuer are checked, expiry is not (OpenID Connect RP-Initiated
   * Logout lets a client hint with an expired ID token). Access tokens are not ID tokens.
   */
  async idTokenClient(token: string): Promise<string | null> {
    try {
      const { payload, protectedHeader } = await compactVerify(
        token,
        createLocalJWKSet(this.jwks),
        { algorithms: ['RS256'] },
      );
      if (protectedHeader.typ !== 'JWT') return null;
      const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
      return claims.iss === this.issuer && typeof claims.aud === 'string' ? claims.aud : null;
    } catch {
      return null;
    }
  }

  /** Verifies signature, issuer, audience, expiry and revocation. */
  async verify(token: string): Promise<Principal & { jti: string; expiresAt: number }> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, createLocalJWKSet(this.jwks), {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: ['RS256'],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'invalid';
      throw new InvalidTokenError(
        reason === 'ERR_JWT_EXPIRED'
          ? 'The access token has expired'
          : 'The access token is invalid',
      );
    }
    const jti = typeof payload.jti === 'string' ? payload.jti : '';
    if (!jti || this.isRevoked(jti)) throw new InvalidTokenError('The access token was revoked');
    return {
      kind: payload.gty === 'client-credentials' ? 'm2m' : 'user',
      userId: typeof payload.user_id === 'string' ? payload.user_id : (payload.sub ?? ''),
      account: typeof payload.account_name === 'string' ? payload.account_name : '',
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      clientId: typeof payload.client_id === 'string' ? payload.client_id : null,
      jti,
      expiresAt: (payload.exp ?? 0) * 1000,
    };
  }
}
