/**
 * `npm start`: the app's dev server (and, once it exists, the CARTO platform emulator) in one
 * process. Ctrl-C stops everything.
 */
import { createServer } from 'vite';

const appPort = Number(process.env.APP_PORT ?? 5173);
if (!Number.isInteger(appPort) || appPort <= 0 || appPort > 65535) {
  console.error(`APP_PORT must be a port number (1-65535), got "${process.env.APP_PORT ?? ''}".`);
  process.exit(1);
}

const server = await createServer({ server: { port: appPort, strictPort: true } }).catch(
  (error: unknown) => {
    console.error(
      `Could not start the app: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
try {
  await server.listen();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Could not start the app on port ${appPort}: ${message}`);
  console.error('Set APP_PORT to another port, e.g. APP_PORT=5174 npm start');
  process.exit(1);
}

console.log(`\n  App       http://localhost:${appPort}/\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
