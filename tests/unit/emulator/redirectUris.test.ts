import { describe, expect, it } from 'vitest';
import {
  InvalidUrlPatternError,
  matchesUrlPattern,
  parseUrlPattern,
} from '../../../emulator/auth/redirectUris';

const matches = (pattern: string, url: string) => matchesUrlPattern(parseUrlPattern(pattern), url);

describe('CARTO subdomain wildcard rules', () => {
  it('1. the protocol must be http or https', () => {
    expect(() => parseUrlPattern('ftp://*.example.com')).toThrow(InvalidUrlPatternError);
    expect(() => parseUrlPattern('ftp://app.example.com')).toThrow('http or https');
    expect(() => parseUrlPattern('https://*.example.com')).not.toThrow();
    expect(() => parseUrlPattern('http://*.example.com/cb')).not.toThrow();
  });

  it('2. the wildcard must be in a subdomain of the hostname', () => {
    expect(() => parseUrlPattern('https://*.com')).toThrow('must be in a subdomain');
    expect(() => parseUrlPattern('https://*')).toThrow(InvalidUrlPatternError);
    expect(() => parseUrlPattern('https://app.example.com/*')).toThrow(InvalidUrlPatternError);
    expect(() => parseUrlPattern('https://*.example.com')).not.toThrow();
  });

  it('3. it must be in the subdomain furthest from the root', () => {
    expect(() => parseUrlPattern('https://sub.*.example.com')).toThrow('furthest from the root');
    expect(() => parseUrlPattern('https://*.sub.example.com')).not.toThrow();
  });

  it('4. at most one wildcard', () => {
    expect(() => parseUrlPattern('https://*.*.example.com')).toThrow('at most one wildcard');
    expect(() => parseUrlPattern('https://a-*-*.example.com')).toThrow('at most one wildcard');
  });

  it('5. it may have a prefix and/or a suffix', () => {
    expect(
      matches('https://prefix-*-suffix.example.com', 'https://prefix-pr42-suffix.example.com'),
    ).toBe(true);
    expect(
      matches('https://prefix-*-suffix.example.com', 'https://other-pr42-suffix.example.com'),
    ).toBe(false);
    expect(
      matches('https://prefix-*-suffix.example.com', 'https://prefix--suffix.example.com'),
    ).toBe(false);
    expect(matches('https://pr-*.example.com', 'https://pr-1.example.com')).toBe(true);
    expect(matches('https://*-preview.example.com', 'https://x-preview.example.com')).toBe(true);
  });

  it('6. it matches exactly one subdomain level', () => {
    expect(matches('https://*.example.com', 'https://sub1.example.com')).toBe(true);
    expect(matches('https://*.example.com', 'https://sub1.sub2.example.com')).toBe(false);
    expect(matches('https://*.example.com', 'https://example.com')).toBe(false);
  });

  it('everything else matches exactly: scheme, port, path, query', () => {
    const pattern = 'https://*.example.com:8443/callback';
    expect(matches(pattern, 'https://a.example.com:8443/callback')).toBe(true);
    expect(matches(pattern, 'http://a.example.com:8443/callback')).toBe(false);
    expect(matches(pattern, 'https://a.example.com/callback')).toBe(false);
    expect(matches(pattern, 'https://a.example.com:8443/callback/')).toBe(false);
    expect(matches(pattern, 'https://a.example.com:8443/callback?x=1')).toBe(false);
    expect(matches(pattern, 'https://a.example.com:8443/callback#frag')).toBe(false);
    expect(matches(pattern, 'https://a.example.com.evil.com:8443/callback')).toBe(false);
  });

  it('without a wildcard the URL must be the same string', () => {
    const exact = 'http://localhost:5173/oauth-callback.html';
    expect(matches(exact, exact)).toBe(true);
    expect(matches(exact, 'http://localhost:5173/oauth-callback.html?x')).toBe(false);
    expect(matches(exact, 'http://127.0.0.1:5173/oauth-callback.html')).toBe(false);
    expect(matches(exact, 'http://LOCALHOST:5173/oauth-callback.html')).toBe(false);
    expect(matches(exact, 'http://localhost:5173/oauth-callback.html/../x')).toBe(false);
    expect(() => parseUrlPattern('/relative')).toThrow('not an absolute URL');
    expect(() => parseUrlPattern('https://a.example.com/#x')).toThrow('fragment');
  });
});
