import type { EmulatorUser } from '../config/configSchema';

/**
 * A user's OpenID Connect claims, as much as the caller may see: `profile` gives the name,
 * nickname and picture, `email` the e-mail. The same for `/userinfo` and ID tokens.
 */
export function userClaims(
  user: EmulatorUser,
  { profile, email }: { profile: boolean; email: boolean },
): Record<string, string | boolean | undefined> {
  return {
    ...(profile ? { name: user.name, nickname: user.account, picture: user.avatarUrl } : {}),
    ...(email ? { email: user.email, email_verified: true } : {}),
  };
}
