/**
 * The security headers the built app is served with: the preview server applies them (so the
 * e2e suite runs under them), the build writes them as `dist/_headers` (Netlify, Cloudflare
 * Pages) and the container image as nginx `add_header` lines. One source for all three.
 *
 * The Content-Security-Policy allows scripts from the app's own origin only (no inline or eval'd
 * script), connections to the configured CARTO authorization server and API and to CARTO's
 * basemap CDN, and workers from the app's origin and blob: URLs (maplibre's and loaders.gl's
 * workers start from blobs). Styles may be inline: MUI (emotion) and maplibre set them at run
 * time; no script can be injected through a style.
 */
import { initialState } from '../../src/store/initialStateSlice';

/** CARTO's basemap styles, tiles, fonts and sprites (`BASEMAP` of @deck.gl/carto). */
const BASEMAP_CDN = 'https://*.cartocdn.com';

type Env = Record<string, string | undefined>;

/** An http(s) URL's origin, or an error naming the setting. */
function originOf(url: string, setting: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  } catch {
    // refused below
  }
  throw new Error(`${setting} is not an http(s) URL: ${JSON.stringify(url)}`);
}

/**
 * The CARTO origins the app talks to: the configured ones (src/store/initialStateSlice.ts), or
 * those of the VITE_CARTO_AUTH_SERVER / VITE_CARTO_API_BASE_URL variables when set.
 */
function cartoOrigins(env: Env = {}): string[] {
  const set = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const auth = set(env.VITE_CARTO_AUTH_SERVER) ?? initialState.oauth.authorizationServer;
  const api = set(env.VITE_CARTO_API_BASE_URL) ?? initialState.apiBaseUrl;
  return [
    ...new Set([
      originOf(auth, 'VITE_CARTO_AUTH_SERVER'),
      originOf(api, 'VITE_CARTO_API_BASE_URL'),
    ]),
  ];
}

function contentSecurityPolicy(env: Env = {}): string {
  const carto = cartoOrigins(env).join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    // Tiles and maplibre's sprites are decoded from blobs; avatars may come from anywhere https.
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self' ${carto} ${BASEMAP_CDN}`,
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

interface SecurityHeaders {
  'Content-Security-Policy': string;
  'Referrer-Policy': string;
  'X-Content-Type-Options': string;
  'Permissions-Policy': string;
}

/** Every header, by name. */
export function securityHeaders(env: Env = {}): SecurityHeaders {
  return {
    'Content-Security-Policy': contentSecurityPolicy(env),
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Content-Type-Options': 'nosniff',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
}

/** The OAuth callback page carries a code in its URL: it is never sent as a Referer. */
const CALLBACK_PATH = '/oauth-callback.html';

/** `_headers` (Netlify / Cloudflare Pages): every path, and the callback page's referrer. */
export function headersFile(env: Env = {}): string {
  const lines = [
    '/*',
    ...Object.entries<string>({ ...securityHeaders(env) }).map(([k, v]) => `  ${k}: ${v}`),
  ];
  lines.push(CALLBACK_PATH, '  Referrer-Policy: no-referrer');
  return `${lines.join('\n')}\n`;
}

/** nginx `add_header` lines (the container image's server block includes them). */
export function nginxHeaders(env: Env = {}): string {
  return `${Object.entries<string>({ ...securityHeaders(env) })
    .map(([name, value]) => `add_header ${name} "${value}" always;`)
    .join('\n')}\n`;
}
