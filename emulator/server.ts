import { serve, type ServerType } from '@hono/node-server';
import { z } from 'zod';
import { createEmulator, type Emulator, type EmulatorOptions } from './createEmulator';
import type { Database } from './data/database';
import { DEMO_CONFIG_PATH, loadEmulatorConfig } from './config/loadEmulatorConfig';
import { DEMO_LOGIN } from './config/demoLogin';

/** What a restart may change: the switches a developer would restart the emulator with. */
interface RestartOptions {
  /** `--coop` for the new emulator; as started when left out. */
  coop?: boolean;
}

export interface EmulatorServer {
  /** The emulator serving now (a restart puts a new one here). */
  readonly emulator: Emulator;
  url: string;
  /** What it serves, where, and how long it took (since the process started) to answer. */
  banner: string;
  /**
   * With `waitForData: false`: settles when the data plane is loaded, with a line saying what
   * was loaded and when (a warning per --data-dir file that was not); rejects when it could not
   * be (e.g. two files of --data-dir give one table name). Otherwise settled already.
   */
  dataReady: Promise<string>;
  /**
   * As if the emulator's process restarted, on the same port: a new emulator with the same
   * config and data, but new signing keys and none of the old login sessions, codes, grants
   * or refresh tokens, so every token issued before is refused. Injected faults go too.
   */
  restart: (options?: RestartOptions) => Promise<Emulator>;
  close: () => Promise<void>;
}

/**
 * With `faults` on (tests only), `POST /__restart` restarts the emulator (`EmulatorServer.restart`);
 * its JSON body may change the switches (`{ "coop": true }`), each as started when left out.
 */
const RESTART_PATH = '/__restart';
const RestartSchema = z.strictObject({ coop: z.boolean().optional() });

async function restartRoute(
  request: Request,
  restart: EmulatorServer['restart'],
): Promise<Response> {
  const text = await request.text();
  let body: unknown = {};
  try {
    if (text.trim()) body = JSON.parse(text);
  } catch {
    body = null;
  }
  const parsed = RestartSchema.safeParse(body);
  if (!parsed.success) {
    return Response.json(
      { error: 'Invalid restart: a JSON object with an optional boolean "coop"', status: 400 },
      { status: 400 },
    );
  }
  const emulator = await restart(parsed.data);
  return Response.json({ restarted: true, coop: emulator.context.pages.coop ?? false });
}

/** The time since the process started: what a developer waited, Node's own start-up included. */
const sinceLaunch = () => `${(performance.now() / 1000).toFixed(1)} s after launch`;

function parsePort(value: string | number | undefined): number {
  const port = Number(value ?? 8600);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`The emulator port must be a number from 0 to 65535, got "${String(value)}".`);
  }
  return port;
}

/** Loads the config, creates the emulator and serves it on localhost. */
export async function startEmulatorServer(options: {
  port?: string | number;
  configPath?: string;
  issuer?: string;
  /** Login hint for the login page; defaults to the demo login with the bundled config. */
  demoLogin?: { email: string; password: string };
  /** GeoJSON / CSV / Parquet files to serve as tables (schema `uploads`). */
  dataDir?: string;
  /**
   * Fault injection at `/__faults` (emulator/http/faults.ts) and restarts at `POST /__restart`:
   * tests only.
   */
  faults?: boolean;
  /** `Cross-Origin-Opener-Policy: same-origin` on the HTML pages (emulator/http/pageSecurity.ts). */
  coop?: boolean;
  /**
   * Resolve once the data is loaded too (the default, for tests and benches). With false it
   * resolves as soon as the authorization server answers; data requests wait for the data
   * (`dataReady`), they do not fail (issue 18: the CLI and `npm start`).
   */
  waitForData?: boolean;
}): Promise<EmulatorServer> {
  // The warehouse starts loading first (DuckDB, the sample data from its cache), and the
  // authorization server comes up meanwhile.
  const data: Promise<Database> = import('./data/database').then(({ Database }) =>
    Database.create(options.dataDir ? { dataDir: options.dataDir } : {}),
  );
  data.catch(() => undefined);
  const port = parsePort(options.port);
  const configPath = options.configPath ?? DEMO_CONFIG_PATH;
  const config = await loadEmulatorConfig(configPath);

  // Listen first (the issuer needs the real port when port is 0); requests wait until the
  // emulator is made (its signing keys), data requests until the data is loaded.
  const ready: { emulator?: Emulator; options?: EmulatorOptions } = {};
  let created: (emulator: Emulator) => void = () => undefined;
  let failed: (error: unknown) => void = () => undefined;
  const made = new Promise<Emulator>((resolve, reject) => {
    created = resolve;
    failed = reject;
  });
  made.catch(() => undefined);
  const restart = async ({ coop }: RestartOptions = {}): Promise<Emulator> => {
    const { emulator: current, options: first } = ready;
    if (!current || !first) throw new Error('The emulator has not started yet.');
    // The warehouse is kept (loaded, or still loading): the same data a new process would load.
    const next = await createEmulator(config, {
      ...first,
      data: current.database ?? first.data,
      coop: coop ?? first.coop,
    });
    ready.emulator = next;
    return next;
  };
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve(
      {
        fetch: (req) => {
          if (
            options.faults &&
            req.method === 'POST' &&
            new URL(req.url).pathname === RESTART_PATH &&
            ready.emulator
          ) {
            return restartRoute(req, restart);
          }
          return ready.emulator?.fetch(req) ?? made.then((emulator) => emulator.fetch(req));
        },
        port,
        hostname: '127.0.0.1',
      },
      () => resolve(s),
    );
    s.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is in use. Start the emulator on another one: --port <n> (or EMULATOR_PORT).`
            : `The emulator could not listen on port ${port}: ${error.message}`,
        ),
      );
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://localhost:${actualPort}`;
  const emulatorOptions: EmulatorOptions = {
    issuer: options.issuer ?? config.issuer ?? url,
    demoLogin: options.demoLogin ?? (configPath === DEMO_CONFIG_PATH ? DEMO_LOGIN : undefined),
    data,
    faults: options.faults ?? false,
    coop: options.coop ?? false,
  };
  let emulator: Emulator;
  try {
    emulator = await createEmulator(config, emulatorOptions);
  } catch (error) {
    failed(error);
    server.close();
    throw error;
  }
  ready.emulator = emulator;
  ready.options = emulatorOptions;
  created(emulator);

  const dataLine = (database: Database) =>
    [
      `            data: ${[...database.tables.values()].map((t) => t.qualifiedName).join(', ')} (loaded in ${database.loadMs} ms, answering ${sinceLaunch()})`,
      ...database.warnings.map((w) => `  Warning   ${w}`),
    ].join('\n');
  const dataReady = data.then(dataLine);
  dataReady.catch(() => undefined);
  const waitForData = options.waitForData ?? true;
  if (waitForData) {
    try {
      await dataReady;
    } catch (error) {
      await new Promise((resolve) => server.close(resolve));
      throw error;
    }
  }

  const demo = config.demo && configPath === DEMO_CONFIG_PATH;
  const banner = [
    `  Emulator  ${emulator.issuer}/  (CARTO platform stand-in, answering ${sinceLaunch()})`,
    `            discovery: ${emulator.issuer}/.well-known/openid-configuration`,
    // Without waiting, the caller prints `dataReady` when it comes.
    ...(waitForData ? [await dataReady] : []),
    ...(demo ? [`  Demo login  ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`] : []),
    ...(emulator.faults
      ? [
          `  Faults    on: PUT ${emulator.issuer}/__faults, POST ${emulator.issuer}${RESTART_PATH} (tests only)`,
        ]
      : []),
    ...(emulator.context.pages.coop
      ? ['  Pages     Cross-Origin-Opener-Policy: same-origin (--coop)']
      : []),
  ].join('\n');

  return {
    get emulator() {
      return ready.emulator ?? emulator;
    },
    url,
    banner,
    dataReady,
    restart,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
