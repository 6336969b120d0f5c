import { serve, type ServerType } from '@hono/node-server';
import { createEmulator, type Emulator } from './createEmulator';
import { DEMO_CONFIG_PATH, loadEmulatorConfig } from './config/loadEmulatorConfig';
import { DEMO_LOGIN } from './config/demoLogin';

export interface EmulatorServer {
  emulator: Emulator;
  url: string;
  banner: string;
  close: () => Promise<void>;
}

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
  /** Fault injection at `/__faults` (tests only; see emulator/http/faults.ts). */
  faults?: boolean;
}): Promise<EmulatorServer> {
  const started = performance.now();
  const port = parsePort(options.port);
  const configPath = options.configPath ?? DEMO_CONFIG_PATH;
  const config = await loadEmulatorConfig(configPath);

  // Listen first (the issuer needs the real port when port is 0), answer 503 until ready.
  const ready: { emulator?: Emulator } = {};
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve(
      {
        fetch: (req) => ready.emulator?.fetch(req) ?? new Response('Starting', { status: 503 }),
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
  const emulator = await createEmulator(config, {
    issuer: options.issuer ?? config.issuer ?? url,
    demoLogin: options.demoLogin ?? (configPath === DEMO_CONFIG_PATH ? DEMO_LOGIN : undefined),
    data: options.dataDir ? { dataDir: options.dataDir } : {},
    faults: options.faults ?? false,
  });

  ready.emulator = emulator;

  const ms = Math.round(performance.now() - started);
  const demo = config.demo && configPath === DEMO_CONFIG_PATH;
  const banner = [
    `  Emulator  ${emulator.issuer}/  (CARTO platform stand-in, ready in ${ms} ms)`,
    `            discovery: ${emulator.issuer}/.well-known/openid-configuration`,
    ...(emulator.database
      ? [
          `            data: ${[...emulator.database.tables.values()].map((t) => t.qualifiedName).join(', ')} (loaded in ${emulator.database.loadMs} ms)`,
        ]
      : []),
    ...(emulator.database?.warnings.map((w) => `  Warning   ${w}`) ?? []),
    ...(demo ? [`  Demo login  ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`] : []),
    ...(emulator.faults ? [`  Faults    on: PUT ${emulator.issuer}/__faults (tests only)`] : []),
  ].join('\n');

  return {
    emulator,
    url,
    banner,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
