/**
 * `npm run emulator -- [--port 8600] [--config path.json] [--issuer URL] [--faults] [--coop]`
 *   --faults: fault injection at /__faults and restarts at POST /__restart, for tests
 *   (emulator/http/faults.ts, emulator/server.ts); never on a shared machine.
 *   --coop: the login, consent and logout pages carry Cross-Origin-Opener-Policy: same-origin
 *   (emulator/http/pageSecurity.ts), so the app's login popup loses its opener.
 * `npm run emulator -- hash-secret <secret>`   (for passwords and client secrets in a config)
 */
import { parseArgs } from 'node:util';
import { startEmulatorServer } from './server';
import { EmulatorConfigError } from './config/configSchema';
import { hashSecret } from './auth/passwords';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: process.env.EMULATOR_PORT ?? '8600' },
    config: { type: 'string' },
    issuer: { type: 'string' },
    'data-dir': { type: 'string', default: process.env.EMULATOR_DATA_DIR },
    faults: { type: 'boolean', default: process.env.EMULATOR_FAULTS === '1' },
    coop: { type: 'boolean', default: process.env.EMULATOR_COOP === '1' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(`Usage:
  npm run emulator -- [--port 8600] [--config path.json] [--issuer http://localhost:8600] [--data-dir folder] [--faults]
  npm run emulator -- hash-secret <secret>`);
  process.exit(0);
}

if (positionals[0] === 'hash-secret') {
  const secret = positionals[1];
  if (!secret) {
    console.error('Usage: npm run emulator -- hash-secret <secret>');
    process.exit(2);
  }
  console.log(await hashSecret(secret));
  process.exit(0);
}

try {
  const server = await startEmulatorServer({
    port: values.port,
    configPath: values.config,
    issuer: values.issuer,
    dataDir: values['data-dir'],
    faults: values.faults,
    coop: values.coop,
    // Logins answer at once; data requests wait for the data, which is announced when loaded.
    waitForData: false,
  });
  console.log(server.banner);
  server.dataReady.then(
    (line) => console.log(line),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(
    error instanceof EmulatorConfigError || error instanceof Error ? error.message : error,
  );
  process.exit(1);
}
