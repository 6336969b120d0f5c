import { describe, expect, it } from 'vitest';
import { headersFile, nginxHeaders, securityHeaders } from '../../../scripts/lib/securityHeaders';

const directive = (csp: string, name: string) =>
  csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';

describe('security headers of the built app', () => {
  it('scripts only from the app; connections only to the configured CARTO hosts and the CDN', () => {
    const csp = securityHeaders()['Content-Security-Policy'];
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'connect-src')).toBe(
      "connect-src 'self' http://localhost:8600 https://*.cartocdn.com",
    );
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");

    const carto = securityHeaders({
      VITE_CARTO_AUTH_SERVER: 'https://auth.carto.com',
      VITE_CARTO_API_BASE_URL: 'https://gcp-us-east1.api.carto.com/some/path',
    })['Content-Security-Policy'];
    expect(directive(carto, 'connect-src')).toBe(
      "connect-src 'self' https://auth.carto.com https://gcp-us-east1.api.carto.com https://*.cartocdn.com",
    );
  });

  it('a setting that is not an http(s) URL is an error naming it', () => {
    expect(() => securityHeaders({ VITE_CARTO_API_BASE_URL: 'javascript:alert(1)' })).toThrow(
      /VITE_CARTO_API_BASE_URL is not an http\(s\) URL/,
    );
  });

  it('writes them for static hosts and for nginx; the callback page sends no referrer', () => {
    const file = headersFile();
    expect(file).toMatch(/^\/\*\n {2}Content-Security-Policy: default-src 'self';/);
    expect(file).toContain('/oauth-callback.html\n  Referrer-Policy: no-referrer\n');
    expect(nginxHeaders()).toContain('add_header X-Content-Type-Options "nosniff" always;');
  });
});
