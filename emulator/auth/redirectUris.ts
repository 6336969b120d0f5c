/**
 * Allowed Callback / Logout URLs and web origins, with CARTO's subdomain-wildcard rules:
 * - protocol http or https;
 * - the wildcard is in a subdomain (`https://*.com` is invalid), in the label furthest from
 *   the root (`https://sub.*.example.com` is invalid), at most once (`https://*.*.example.com`
 *   is invalid); it may have a prefix and/or suffix (`https://prefix-*-suffix.example.com`);
 * - it matches exactly one label (`https://*.example.com` does not match a.b.example.com).
 * Everything else (scheme, port, path, query) matches exactly, and so does the case of the
 * scheme and host. Without a wildcard the whole URL must be the same string.
 */

export interface UrlPattern {
  raw: string;
  /** Present when the pattern has a wildcard. */
  wildcard?: {
    scheme: string;
    firstLabel: RegExp;
    restOfHost: string;
    /** Port, path and query, compared as a string. */
    rest: string;
  };
}

const URL_PARTS = /^(https?):\/\/([^/?#:]+)(:\d{1,5})?([^?#]*)(\?[^#]*)?$/i;

export class InvalidUrlPatternError extends Error {}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parses a registered URL (or origin) pattern, throwing an error that says which rule it breaks. */
export function parseUrlPattern(raw: string): UrlPattern {
  const count = raw.split('*').length - 1;
  if (count === 0) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InvalidUrlPatternError(`"${raw}" is not an absolute URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidUrlPatternError(`"${raw}": the protocol must be http or https`);
    }
    if (url.hash) throw new InvalidUrlPatternError(`"${raw}": a URL cannot have a fragment`);
    return { raw };
  }
  if (count > 1) throw new InvalidUrlPatternError(`"${raw}": at most one wildcard is allowed`);
  const parts = URL_PARTS.exec(raw);
  if (!parts) {
    throw new InvalidUrlPatternError(
      `"${raw}": the protocol must be http or https, and the wildcard must be in the hostname`,
    );
  }
  const [, scheme = '', host = '', port = '', path = '', query = ''] = parts;
  const labels = host.toLowerCase().split('.');
  const wildIndex = labels.findIndex((label) => label.includes('*'));
  if (wildIndex !== 0) {
    throw new InvalidUrlPatternError(
      `"${raw}": the wildcard must be in the subdomain furthest from the root`,
    );
  }
  if (labels.length < 3) {
    throw new InvalidUrlPatternError(`"${raw}": the wildcard must be in a subdomain`);
  }
  const [prefix = '', suffix = ''] = (labels[0] ?? '').split('*');
  if (!/^[a-z0-9-]*$/.test(prefix) || !/^[a-z0-9-]*$/.test(suffix)) {
    throw new InvalidUrlPatternError(`"${raw}": the wildcard label has invalid characters`);
  }
  return {
    raw,
    wildcard: {
      scheme: scheme.toLowerCase(),
      firstLabel: new RegExp(`^${escapeRegExp(prefix)}[a-z0-9-]+${escapeRegExp(suffix)}$`),
      restOfHost: labels.slice(1).join('.'),
      rest: `${port}${path}${query}`,
    },
  };
}

/** Whether `candidate` is allowed by `pattern` (exact string, or the wildcard rules). */
export function matchesUrlPattern(pattern: UrlPattern, candidate: string): boolean {
  if (!pattern.wildcard) return pattern.raw === candidate;
  const parts = URL_PARTS.exec(candidate);
  if (!parts) return false;
  const [, scheme = '', host = '', port = '', path = '', query = ''] = parts;
  const { wildcard } = pattern;
  // Compared as written, like an exact URL: `HTTPS://Preview-1-app.EXAMPLE.com` is not matched
  // (browsers and URL parsers always give the scheme and host in lower case).
  const [first = '', ...others] = host.split('.');
  return (
    scheme === wildcard.scheme &&
    others.join('.') === wildcard.restOfHost &&
    wildcard.firstLabel.test(first) &&
    `${port}${path}${query}` === wildcard.rest
  );
}

export function matchesAny(patterns: readonly UrlPattern[], candidate: string): boolean {
  return patterns.some((p) => matchesUrlPattern(p, candidate));
}
