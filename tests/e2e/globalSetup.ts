import { execFileSync } from 'node:child_process';
import { preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { startEmulatorServer, type EmulatorServer } from '../../emulator/server';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    emulatorUrl: string;
  }
}

let server: PreviewServer | undefined;
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
  // The ports the demo config registers (callback URLs, origins) and the app is built for.
  emulator = await startEmulatorServer({ port: 8600 });
  project.provide('emulatorUrl', emulator.emulator.issuer);
  server = await preview({ preview: { port: 4173, strictPort: true }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('appUrl', url);
}

export async function teardown() {
  await Promise.all([server?.close(), emulator?.close()]);
}
