import { Hono, type MiddlewareHandler, type NotFoundHandler } from 'hono';
import type { GenerateKeyPairResult } from 'jose';
import { compress } from 'hono/compress';
import { registerSpaClient, type AuthContext } from './auth/authContext';
import { AuthState } from './auth/authState';
import { TokenService } from './auth/tokens';
import { corsForRegisteredOrigins } from './http/cors';
import { onError } from './http/errors';
import { asNetworkError, FaultInjector } from './http/faults';
import { parseEmulatorConfig } from './config/configSchema';
import { authorizeRoutes } from './routes/authorizeRoutes';
import type { Database } from './data/database';
import type { DataPlane, DataSource } from './data/dataPlane';
import { discoveryRoutes } from './routes/discoveryRoutes';
import { logoutRoutes } from './routes/logoutRoutes';
import { revokeRoutes } from './routes/revokeRoutes';
import { tokenRoutes } from './routes/tokenRoutes';
import { userinfoRoutes } from './routes/userinfoRoutes';

export interface EmulatorOptions {
  /** Public URL (issuer). Defaults to the config's `issuer`, then http://localhost:8600. */
  issuer?: string;
  /** Clock in epoch milliseconds; tests move it to expire codes and tokens. */
  now?: () => number;
  /** The demo login shown on the login page when the config is in demo mode. */
  demoLogin?: { email: string; password: string };
  /**
   * The data APIs' warehouse: a Database (shared, e.g. by tests), options to make one, or
   * false for an authorization server only (faster to start). createEmulator waits for it,
   * except when it is a promise (a warehouse still loading): the emulator then answers at once,
   * and data requests wait for the warehouse (`dataReady`).
   */
  data?: DataSource | false;
  /** Fault injection (`/__faults`, emulator/http/faults.ts), for tests only. Off by default. */
  faults?: boolean;
  /**
   * `Cross-Origin-Opener-Policy: same-origin` on the login, consent and logout pages (and their
   * redirects): the login popup loses its opener. Off by default (emulator/http/pageSecurity.ts).
   */
  coop?: boolean;
  /**
   * Load the BigQuery SQL translator in the background as the data plane opens (the default),
   * so that the first BigQuery query does not wait ~0.5 s for it (dialect.ts). The tests'
   * emulators leave it to the first query: most of them never get one.
   */
  warmTranslator?: boolean;
  /**
   * The RS256 key pair to sign tokens with, instead of a new one. For tests, which make
   * hundreds of emulators: each still has its own key id, and refuses another's tokens.
   */
  signingKey?: Promise<GenerateKeyPairResult>;
}

export interface Emulator {
  fetch: (request: Request) => Promise<Response>;
  issuer: string;
  /** For data endpoints and tests: verifies a Bearer token / API token on a request. */
  context: AuthContext;
  /** The warehouse: null without data, or while it is still loading (see `dataReady`). */
  readonly database: Database | null;
  /** The warehouse once loaded (null without data); rejects when it could not be loaded. */
  dataReady: Promise<Database | null>;
  /** Set when created with `faults: true`. */
  faults: FaultInjector | null;
}

/** The CARTO platform stand-in: one `fetch` that serves every endpoint. */
export async function createEmulator(
  /** A config object (validated here): `EmulatorConfigInput`, or JSON read from a file. */
  configInput: unknown,
  options: EmulatorOptions = {},
): Promise<Emulator> {
  const config = parseEmulatorConfig(configInput);
  const issuer = (options.issuer ?? config.issuer ?? 'http://localhost:8600').replace(/\/$/, '');
  const now = options.now ?? Date.now;
  const state = new AuthState(now);
  const tokens = await TokenService.create({
    issuer,
    audience: config.audience,
    now,
    isRevoked: state.isJtiRevoked,
    keyPair: options.signingKey,
  });
  const spaClients = new Map(config.spaClients.map((c) => [c.clientId, registerSpaClient(c)]));
  const ctx: AuthContext = {
    config,
    issuer,
    state,
    tokens,
    spaClients,
    m2mClients: new Map(config.m2mClients.map((c) => [c.clientId, c])),
    users: new Map(config.users.map((u) => [u.id, u])),
    usersByEmail: new Map(config.users.map((u) => [u.email.toLowerCase(), u])),
    demoLogin: config.demo ? (options.demoLogin ?? null) : null,
    pages: { coop: options.coop ?? false },
  };

  const origins = [...spaClients.values()].flatMap((c) => c.originPatterns);
  const cors = corsForRegisteredOrigins(() => origins);

  const notFound: NotFoundHandler = (c) =>
    c.json({ error: `Not found: ${c.req.method} ${c.req.path}`, status: 404 }, 404);
  const app = new Hono();
  // CORS on everything a browser app calls with fetch, never on the pages it navigates to.
  for (const path of ['/.well-known/*', '/oauth/*', '/userinfo', '/api/*', '/v3/*']) {
    app.use(path, cors);
  }
  // Tiles and tilejson are large and compress well (gzip, when the client asks for it).
  app.use('/v3/*', compress());
  // After CORS and compression: an injected failure reaches the app as a real one would.
  const faults = options.faults ? new FaultInjector() : null;
  if (faults) {
    app.route('/', faults.routes());
    app.use('*', faults.middleware());
  }
  app.route('/.well-known', discoveryRoutes(ctx));
  app.route('/', authorizeRoutes(ctx));
  app.route('/', tokenRoutes(ctx));
  app.route('/', revokeRoutes(ctx));
  app.route('/', userinfoRoutes(ctx));
  app.route('/', logoutRoutes(ctx));
  // The data plane is loaded after the authorization server: logins need none of it.
  let dataPlane: Promise<DataPlane | null> = Promise.resolve(null);
  let database: Database | null = null;
  if (options.data !== false) {
    const source = options.data ?? {};
    dataPlane = import('./data/dataPlane').then(async ({ openDataPlane }) => {
      const plane = await openDataPlane(ctx, source, notFound, {
        warmTranslator: options.warmTranslator ?? true,
      });
      database = plane.database;
      return plane;
    });
    // Reported by `dataReady` and by the data requests that wait for it.
    dataPlane.catch(() => undefined);
    if (!(source instanceof Promise)) await dataPlane;
  }
  const dataReady = dataPlane.then((plane) => plane?.database ?? null);
  dataReady.catch(() => undefined);
  const forward: MiddlewareHandler = async (c, next) => {
    const plane = await dataPlane;
    if (!plane) return next();
    return plane.app.fetch(c.req.raw, c.env);
  };
  for (const path of ['/v3/*', '/api/v4/datasets', '/api/v4/datasets/*']) app.use(path, forward);
  app.get('/', (c) =>
    c.json({
      name: 'CARTO platform emulator',
      issuer,
      discovery: `${issuer}/.well-known/openid-configuration`,
    }),
  );
  app.notFound(notFound);
  app.onError(onError);

  return {
    fetch: async (request) => asNetworkError(await app.fetch(request)),
    issuer,
    context: ctx,
    get database() {
      return database;
    },
    dataReady,
    faults,
  };
}
