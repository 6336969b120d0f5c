import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CONFIG_PATH } from '../../emulator/config/loadEmulatorConfig';
import { DEMO_LOGIN } from '../../emulator/config/demoLogin';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { startEmulatorServer, type EmulatorServer } from '../../emulator/server';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    /** The same app built with VITE_CARTO_FORCE_LOGIN=true and VITE_CARTO_PERSIST=session. */
    forcedAppUrl: string;
    emulatorUrl: string;
  }
}

const FORCED_PORT = 4174;
const FORCED_DIST = 'dist-e2e-forced';

/** The demo config, plus the forced-login build's origin (only for these tests). */
async function e2eEmulatorConfig(): Promise<string> {
  const config = JSON.parse(await readFile(DEMO_CONFIG_PATH, 'utf8')) as {
    spaClients: {
      allowedCallbackUrls: string[];
      allowedLogoutUrls: string[];
      allowedWebOrigins: string[];
      allowedOrigins: string[];
    }[];
  };
  const origin = `http://localhost:${FORCED_PORT}`;
  for (const client of config.spaClients) {
    client.allowedCallbackUrls.push(`${origin}/oauth-callback.html`);
    client.allowedLogoutUrls.push(`${origin}/`);
    client.allowedWebOrigins.push(origin);
    client.allowedOrigins.push(origin);
  }
  const dir = await mkdtemp(join(tmpdir(), 'e2e-emulator-'));
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify(config));
  return path;
}

let server: PreviewServer | undefined;
let forcedServer: PreviewServer | undefined;
let emulator: EmulatorServer | undefined;

/** Builds the app as production ships it and serves it for the browser tests. */
export async function setup(project: TestProject) {
  // A child process: inside Vitest NODE_ENV is "test", which would make a development build.
  // CI has just run `npm run build` and sets E2E_SKIP_BUILD=1.
  if (process.env.E2E_SKIP_BUILD !== '1') {
    execFileSync('npx', ['tsx', 'scripts/build-offline-basemap.ts'], { stdio: 'inherit' });
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', FORCED_DIST], {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      VITE_CARTO_FORCE_LOGIN: 'true',
      VITE_CARTO_PERSIST: 'session',
    },
  });
  // The ports the demo config registers (callback URLs, origins) and the app is built for.
  // Test controls on: tests restart it (`POST /__restart`, e.g. with COOP) as the app is built
  // for this port and cannot be pointed at another emulator (tests/e2e/support/emulator.ts).
  emulator = await startEmulatorServer({
    port: 8600,
    configPath: await e2eEmulatorConfig(),
    demoLogin: DEMO_LOGIN,
    faults: true,
  });
  project.provide('emulatorUrl', emulator.emulator.issuer);
  server = await preview({ preview: { port: 4173, strictPort: true }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('appUrl', url);
  forcedServer = await preview({
    build: { outDir: FORCED_DIST },
    preview: { port: FORCED_PORT, strictPort: true },
    logLevel: 'warn',
  });
  project.provide('forcedAppUrl', `http://localhost:${FORCED_PORT}/`);
}

export async function teardown() {
  await Promise.all([server?.close(), forcedServer?.close(), emulator?.close()]);
}
