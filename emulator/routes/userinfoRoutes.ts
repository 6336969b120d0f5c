import { Hono } from 'hono';
import type { AuthContext } from '../auth/authContext';
import { forbidden } from '../http/errors';
import { requireBearer } from '../http/requireBearer';

/** Who the token belongs to: OIDC userinfo, and CARTO 2's `user_info_url`. */
export function userinfoRoutes(ctx: AuthContext) {
  const bearer = requireBearer(ctx);
  return new Hono()
    .get('/userinfo', bearer, (c) => {
      const { principal } = c.var;
      const user = ctx.users.get(principal.userId);
      if (!user || principal.kind === 'm2m')
        throw forbidden('Forbidden: no user behind this token');
      const org = ctx.config.organizations.find((o) => o.id === user.organization);
      return c.json({
        sub: user.id,
        name: user.name,
        nickname: user.account,
        email: user.email,
        email_verified: true,
        picture: user.avatarUrl,
        org_id: org?.id,
        org_name: org?.name,
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
