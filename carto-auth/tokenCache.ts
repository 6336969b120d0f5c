import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** carto-auth's cache format: `{api_base_url, access_token, expiration}` (epoch seconds). */
export interface CachedToken {
  api_base_url: string;
  access_token: string;
  expiration: number;
}

/** A cached token is reused only when it has this much life left. */
const REUSE_LEEWAY_SECONDS = 60;

export const defaultCacheFile = (kind: 'oauth' | 'm2m') =>
  join(homedir(), '.carto-auth', `token_${kind}.json`);

/**
 * Reads a cache file. A missing file is simply no cache; a corrupt or incomplete one is ignored
 * with a warning (never a crash); a token that expires within 60 s or belongs to another API is
 * not reused.
 */
export async function readCachedToken(
  file: string,
  apiBaseUrl: string,
  { now = Date.now(), warn = (message: string) => console.warn(message) } = {},
): Promise<CachedToken | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  let value: Partial<CachedToken>;
  try {
    value = JSON.parse(text) as Partial<CachedToken>;
  } catch {
    warn(`carto-auth: ignoring the corrupt token cache ${file}`);
    return null;
  }
  const complete =
    typeof value.api_base_url === 'string' &&
    typeof value.access_token === 'string' &&
    value.access_token !== '' &&
    typeof value.expiration === 'number';
  if (!complete) {
    warn(`carto-auth: ignoring the incomplete token cache ${file}`);
    return null;
  }
  const token = value as CachedToken;
  if (token.api_base_url.replace(/\/$/, '') !== apiBaseUrl.replace(/\/$/, '')) return null;
  if (token.expiration - REUSE_LEEWAY_SECONDS <= Math.floor(now / 1000)) return null;
  return token;
}

/** Writes the cache atomically (temp file + rename), readable by its owner only (0600). */
export async function writeCachedToken(file: string, token: CachedToken): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}
