import { Hono } from 'hono';
import type { AuthContext } from '../auth/authContext';
import { userClaims } from '../auth/userClaims';
import { forbidden } from '../http/errors';
import { insufficientScope, requireBearer } from '../http/requireBearer';

/**
 * The scopes that open `/userinfo`, and what each shows: CARTO 3's `read:current_user` the
 * whole profile; OIDC's `openid` only `sub`, `profile` the name and picture, `email` the
 * e-mail; CARTO 2's `user:profile` the name, picture and organization.
 */
const USERINFO_SCOPES = ['read:current_user', 'openid', 'profile', 'email', 'user:profile'];

/** Who the token belongs to: OIDC userinfo, and CARTO 2's `user_info_url`. */
export function userinfoRoutes(ctx: AuthContext) {
  const bearer = requireBearer(ctx);
  return new Hono()
    .get('/userinfo', bearer, (c) => {
      const { principal } = c.var;
      const has = (scope: string) => principal.scopes.includes(scope);
      if (!USERINFO_SCOPES.some(has)) throw insufficientScope(USERINFO_SCOPES);
      const user = ctx.users.get(principal.userId);
      if (!user || principal.kind === 'm2m')
        throw forbidden('Forbidden: no user behind this token');
      const org = ctx.config.organizations.find((o) => o.id === user.organization);
      const all = has('read:current_user');
      const profile = all || has('profile') || has('user:profile');
      const email = all || has('email');
      const organization = all || has('user:profile');
      return c.json({
        sub: user.id,
        ...userClaims(user, { profile, email }),
        ...(organization ? { org_id: org?.id, org_name: org?.name } : {}),
      });
    })
    .get('/api/v4/me', bearer, (c) => {
      // Profile fields need user:profile (CARTO 2 grammar).
      const { principal } = c.var;
      const user = ctx.users.get(principal.userId);
      if (!user) throw forbidden('Forbidden');
      const profile = principal.scopes.includes('user:profile');
      const base = ctx.issuer;
      return c.json({
        username: user.account,
        ...(profile
          ? { name: user.name, avatar_url: user.avatarUrl, organization: user.organization ?? null }
          : {}),
        api_endpoints: {
          sql: `${base}/v3/sql`,
          maps: `${base}/v3/maps`,
          import: `${base}/v3/imports`,
          auth: base,
        },
      });
    });
}
