/**
 * carto-auth: CARTO tokens on the command line.
 *
 *   carto-auth m2m <credentials.json> [--json] [--cache-file F] [--no-cache] [--auth-server URL]
 *   carto-auth oauth --client-id ID [--api-base-url URL] [--org ID] [--port 10000] [--no-browser]
 *                    [--scope "a b"] [--json] [--cache-file F] [--no-cache] [--auth-server URL]
 *
 * Prints the access token (or, with --json, {api_base_url, access_token, expiration}).
 * Exit codes: 0 ok, 1 the login or request failed, 2 bad usage or input.
 */
import { parseArgs } from 'node:util';
import { CartoAuth, CartoAuthError, DEFAULT_API_BASE_URL } from './cartoAuth';

const USAGE = `Usage:
  carto-auth m2m <credentials.json> [--json] [--cache-file F] [--no-cache]
  carto-auth oauth --client-id ID [--api-base-url URL] [--org ID] [--port 10000]
                   [--no-browser] [--scope "a b"] [--json] [--cache-file F] [--no-cache]
Both accept --auth-server URL (default: https://auth.carto.com, or the emulator's own URL for
a localhost API).`;

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function main(
  argv: string[],
  io: CliIO = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        'cache-file': { type: 'string' },
        'no-cache': { type: 'boolean' },
        'auth-server': { type: 'string' },
        'client-id': { type: 'string', default: process.env.CARTO_CLIENT_ID },
        'api-base-url': { type: 'string' },
        org: { type: 'string' },
        port: { type: 'string' },
        'no-browser': { type: 'boolean' },
        scope: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`carto-auth: ${error instanceof Error ? error.message : String(error)}`);
    io.err(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [command, file] = positionals;
  const cacheFile: string | false | undefined = values['no-cache'] ? false : values['cache-file'];
  const common = {
    ...(cacheFile !== undefined ? { cacheFile } : {}),
    ...(values['auth-server'] ? { authServer: values['auth-server'] } : {}),
    warn: io.err,
  };
  try {
    let auth: CartoAuth;
    if (command === 'm2m') {
      if (!file) throw new CartoAuthError('m2m needs the path of a credentials file', 2);
      auth = await CartoAuth.fromM2M(file, common);
    } else if (command === 'oauth') {
      if (!values['client-id'])
        throw new CartoAuthError('oauth needs --client-id (or CARTO_CLIENT_ID)', 2);
      const port = values.port === undefined ? 10000 : Number(values.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new CartoAuthError(`--port must be 1-65535, got "${values.port ?? ''}"`, 2);
      auth = await CartoAuth.fromOAuth({
        ...common,
        clientId: values['client-id'],
        apiBaseUrl: values['api-base-url'] ?? DEFAULT_API_BASE_URL,
        port,
        openBrowser: !values['no-browser'],
        ...(values.org ? { organization: values.org } : {}),
        ...(values.scope ? { scopes: values.scope.split(/[\s,]+/).filter(Boolean) } : {}),
        onAuthorizationUrl: (url) => io.err(`Open this URL to log in with CARTO:\n  ${url}`),
      });
    } else {
      throw new CartoAuthError(
        command ? `unknown command "${command}"` : 'a command is needed (m2m or oauth)',
        2,
      );
    }
    const credentials = await auth.getCredentials();
    io.out(
      values.json
        ? JSON.stringify({
            api_base_url: credentials.apiBaseUrl,
            access_token: credentials.accessToken,
            expiration: auth.expiration,
          })
        : credentials.accessToken,
    );
    return 0;
  } catch (error) {
    const failure =
      error instanceof CartoAuthError
        ? error
        : new CartoAuthError(error instanceof Error ? error.message : String(error));
    io.err(`carto-auth: ${failure.message}`);
    if (failure.exitCode === 2) io.err(USAGE);
    return failure.exitCode;
  }
}
