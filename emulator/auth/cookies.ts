/** The login session (skips the login page on the next authorization request). */
export const SESSION_COOKIE = 'emu_session';
/** Binds a pending authorization request to the browser that opened it (CSRF defence). */
export const BINDING_COOKIE = 'emu_binding';

export const cookieOptions = { httpOnly: true, sameSite: 'Lax', path: '/' } as const;
/**
 * Marks a browser that has logged in before (OWASP's "device cookie"): the account-wide login
 * lock, which strangers can push, does not apply to it (see THROTTLE_RULES in authState.ts).
 */
export const DEVICE_COOKIE = 'emu_device';

export const deviceCookieOptions = { ...cookieOptions, maxAge: 30 * 86_400 } as const;
