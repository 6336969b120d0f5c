/**
 * `npm run bench -- loops`: the developer's loops, timed as developers run them (numbers, not
 * assertions; issue 18):
 *   - the emulator: from `npx tsx emulator/cli.ts` to its discovery URL answering (auth ready),
 *     and to its SQL API answering a query (data ready);
 *   - `npm test`: wall time;
 *   - `npm run build`: wall time and peak memory (GNU time's maximum resident set size of the
 *     largest process).
 * `--skip test,build` leaves loops out. Writes artifacts/bench-loops.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_M2M } from '../emulator/config/demoLogin';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'loops'),
  options: { skip: { type: 'string', default: '' }, port: { type: 'string', default: '8790' } },
});
const skip = new Set(values.skip.split(',').filter(Boolean));
const results: Record<string, unknown> = {};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 25 ms until it is true; the time since `started`, in ms. */
async function until(started: number, probe: () => Promise<boolean>, timeoutMs = 120_000) {
  while (performance.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return Math.round(performance.now() - started);
    await sleep(25);
  }
  throw new Error(`not ready after ${timeoutMs} ms`);
}

async function emulatorLoop() {
  const base = `http://127.0.0.1:${values.port}`;
  const started = performance.now();
  // Its own process group: npx does not pass a SIGTERM on to the emulator it started.
  const child = spawn('npx', ['tsx', 'emulator/cli.ts', '--port', values.port], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const authMs = await until(started, async () => {
      const response = await fetch(`${base}/.well-known/openid-configuration`);
      return response.ok;
    });
    const dataMs = await until(started, async () => {
      const token = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: DEMO_M2M.clientId,
          client_secret: DEMO_M2M.clientSecret,
        }),
      });
      const { access_token: accessToken } = (await token.json()) as { access_token?: string };
      if (!accessToken) return false;
      const q = encodeURIComponent('SELECT count(*) AS n FROM demo.populated_places');
      const response = await fetch(`${base}/v3/sql/carto_dw/query?q=${q}`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      return response.ok;
    });
    results.emulatorAuthReadyMs = authMs;
    results.emulatorDataReadyMs = dataMs;
  } catch (error) {
    throw new Error(`the emulator did not start: ${String(error)}\n${output}`, { cause: error });
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  }
}

/** Runs an npm script under GNU time: wall seconds and the peak resident memory (MB). */
function timed(script: string): Promise<{ seconds: number; peakMB: number; ok: boolean }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-v', 'npm', 'run', '--silent', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      // A failed loop's output is kept, to see why (artifacts/bench-loops-<script>.log).
      if (code !== 0) {
        mkdirSync('artifacts', { recursive: true });
        writeFileSync(`artifacts/bench-loops-${script}.log`, `${output}\n${stderr}`);
      }
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({
        seconds: Math.round((performance.now() - started) / 100) / 10,
        peakMB: Math.round(kb / 1024),
        ok: code === 0,
      });
    });
  });
}

await emulatorLoop();
if (!skip.has('test')) results.npmTest = await timed('test');
if (!skip.has('build')) results.npmBuild = await timed('build');

mkdirSync('artifacts', { recursive: true });
writeFileSync('artifacts/bench-loops.json', `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
