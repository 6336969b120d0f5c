import type { AuthContext } from './authContext';
import { InvalidTokenError, type Principal } from './tokens';
import { sha256Hex } from './passwords';

export type AuthResult =
  { ok: true; principal: Principal } | { ok: false; status: 401; error: string };

/**
 * Authenticates a data-API request: a Bearer JWT from this emulator, or a legacy API access
 * token. Tokens are only read from the Authorization header, never from the URL.
 */
export async function authenticate(
  ctx: AuthContext,
  authorization: string | undefined,
): Promise<AuthResult> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return { ok: false, status: 401, error: 'Unauthorized: no Bearer token' };
  const token = match[1];
  if (token.split('.').length === 3) {
    try {
      return { ok: true, principal: await ctx.tokens.verify(token) };
    } catch (error) {
      const message =
        error instanceof InvalidTokenError ? error.message : 'The access token is invalid';
      return { ok: false, status: 401, error: `Unauthorized: ${message}` };
    }
  }
  const digest = sha256Hex(token);
  const apiToken = ctx.config.apiTokens.find((t) => t.tokenSha256 === digest);
  const user = apiToken ? ctx.users.get(apiToken.user) : undefined;
  if (!apiToken || !user) return { ok: false, status: 401, error: 'Unauthorized: unknown token' };
  return {
    ok: true,
    principal: {
      kind: 'api_token',
      userId: user.id,
      account: user.account,
      scopes: apiToken.grants,
      clientId: null,
    },
  };
}
