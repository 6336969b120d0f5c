/**
 * The bundled demo config's fake credentials (the config itself holds only hashes). They exist
 * only in the local emulator; they are printed by `npm start` and shown on its login page.
 */
export const DEMO_LOGIN = { email: 'demo@example.com', password: 'demo-password' } as const;
export const DEMO_M2M = { clientId: 'demo-m2m-client', clientSecret: 'demo-m2m-secret' } as const;
/** @public The demo config's legacy API token in plain text (try it as VITE_CARTO_API_ACCESS_TOKEN). */
export const DEMO_API_TOKEN = 'demo-public-api-token';
