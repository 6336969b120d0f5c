/**
 * `npm start`: the CARTO platform emulator and the app's dev server in one process.
 * Ctrl-C stops both. Ports: EMULATOR_PORT (8600) and APP_PORT (5173); EMULATOR_COOP=1 serves
 * the login pages with Cross-Origin-Opener-Policy: same-origin (emulator/http/pageSecurity.ts).
 */
import { createServer, type ViteDevServer } from 'vite';
import { startEmulatorServer, type EmulatorServer } from '../emulator/server';

function port(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    console.error(`${name} must be a port number (1-65535), got "${process.env[name] ?? ''}".`);
    process.exit(1);
  }
  return value;
}

const appPort = port('APP_PORT', 5173);
const emulatorPort = port('EMULATOR_PORT', 8600);

let emulator: EmulatorServer | undefined;
let app: ViteDevServer | undefined;

async function stop(code = 0) {
  await Promise.allSettled([app?.close(), emulator?.close()]);
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

try {
  emulator = await startEmulatorServer({
    port: emulatorPort,
    // An empty variable (as in .env.example) means no folder.
    // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
    dataDir: process.env.EMULATOR_DATA_DIR || undefined,
    coop: process.env.EMULATOR_COOP === '1',
    // The app's dev server starts while the data loads; data requests wait for it.
    waitForData: false,
  });
  emulator.dataReady.then(
    (line) => console.log(line),
    (error: unknown) => {
      console.error(
        `\n  Could not load the emulator's data: ${error instanceof Error ? error.message : String(error)}`,
      );
      void stop(1);
    },
  );
  app = await createServer({ server: { port: appPort, strictPort: true } });
  await app.listen();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`\n  Could not start: ${message}`);
  if (message.includes(String(appPort))) {
    console.error('  Set APP_PORT to another port, e.g. APP_PORT=5174 npm start');
  }
  await stop(1);
}

console.log(`\n  App       http://localhost:${appPort}/`);
console.log(emulator?.banner ?? '');
console.log('\n  Ctrl-C stops both.\n');
