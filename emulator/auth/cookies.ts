/** The login session (skips the login page on the next authorization request). */
export const SESSION_COOKIE = 'emu_session';
/** Binds a pending authorization request to the browser that opened it (CSRF defence). */
export const BINDING_COOKIE = 'emu_binding';

export const cookieOptions = { httpOnly: true, sameSite: 'Lax', path: '/' } as const;
