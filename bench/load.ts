/**
 * `npm run bench -- load [--users 8] [--seconds 30] [--soak] [--quick]`: the emulator under
 * load (numbers, not assertions; issue 14). It serves on 127.0.0.1 and `--users` simulated
 * users each log in (the code + PKCE flow through the login and consent forms, over HTTP), then
 * loop: a source's TileJSON, its tiles around the US, and widget models over a random view.
 * First the slow query once on an idle emulator (how long it holds the database), then two
 * phases: alone, then with one more caller running slow SQL non-stop, each query new and each
 * stopped by the sandbox's time limit (its fairness: the others must not wait behind it).
 * Reports requests/s, p50/p95/p99 per kind, the slow caller's own latencies and statuses,
 * errors, and the process's memory (sampled each second; `--soak` runs 5 minutes and compares
 * the first and the last minute). Writes artifacts/bench-load.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startEmulatorServer } from '../emulator/server';
import { DEMO_LOGIN } from '../emulator/config/demoLogin';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'load'),
  options: {
    users: { type: 'string' },
    seconds: { type: 'string' },
    soak: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'artifacts/bench-load.json' },
  },
});
const users = Number(values.users ?? (values.quick ? 4 : 8));
const phaseSeconds = Number(values.seconds ?? (values.soak ? 150 : values.quick ? 8 : 30));

const CLIENT_ID = 'demo-spa-client';
const CALLBACK = 'http://localhost:4173/oauth-callback.html';
const SCOPE = 'read:current_user read:connections datasets:r:* offline_access';
/**
 * A query that keeps the database busy until the sandbox's time limit stops it (10 s): it passes
 * the SQL guard (one SELECT, the caller's own tables, allowed functions) and aggregates over a
 * cross join of 20,000 stores with themselves, 400 million pairs, with a string function per
 * pair. `nonce` makes each request new: the emulator stores a query's result and answers the
 * same SQL again from it (the slow caller used to be answered that way in ~26 ms).
 */
const slowSql = (nonce: string) =>
  `SELECT count(*) AS n FROM demo.retail_stores a, demo.retail_stores b WHERE length(a.name || b.city || '${nonce}') % 7 = 3`;

type Kind = 'login' | 'tilejson' | 'tile' | 'widget' | 'slowSql';
interface Sample {
  kind: Kind;
  ms: number;
  ok: boolean;
  status: number;
  phase: string;
}

/** One user's cookie jar and fetch over HTTP, redirects not followed (a form's 302 is read). */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  html = '';

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(new URL(path, this.base), {
      ...init,
      headers,
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    if (response.headers.get('Content-Type')?.includes('text/html'))
      this.html = await response.clone().text();
    return response;
  }

  field(name: string): string {
    const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(this.html);
    return (match?.[1] ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }

  submit(path: string, fields: [string, string][]) {
    return this.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

/** The whole code + PKCE flow, as the app's popup does it: an access token. */
async function logIn(base: string): Promise<string> {
  const browser = new Browser(base);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL('/authorize', base);
  for (const [k, v] of Object.entries({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: SCOPE,
    state: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    authorize.searchParams.set(k, v);
  let page = await browser.request(authorize.href);
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}`);
  const form = (): [string, string][] => [
    ['request', browser.field('request')],
    ['csrf', browser.field('csrf')],
  ];
  if (browser.html.includes('name="password"'))
    page = await browser.submit('/authorize/login', [
      ...form(),
      ['email', DEMO_LOGIN.email],
      ['password', DEMO_LOGIN.password],
    ]);
  const offered = [...browser.html.matchAll(/name="scope" value="([^"]*)"/g)].map(
    (m) => m[1] ?? '',
  );
  if (offered.length > 0)
    page = await browser.submit('/authorize/consent', [
      ...form(),
      ...offered.map((s): [string, string] => ['scope', s]),
      ['decision', 'allow'],
    ]);
  const code = new URL(page.headers.get('Location') ?? 'x:').searchParams.get('code');
  if (!code) throw new Error(`no code after consent (${page.status})`);
  const token = await fetch(new URL('/oauth/token', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
    }),
  });
  const body = (await token.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`token: ${token.status} ${body.error ?? ''}`);
  return body.access_token;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

function summarise(samples: Sample[], seconds: number) {
  const byKind: Record<string, unknown> = {};
  for (const kind of ['login', 'tilejson', 'tile', 'widget', 'slowSql'] as const) {
    const of = samples.filter((s) => s.kind === kind);
    if (of.length === 0) continue;
    const ms = of.map((s) => s.ms).sort((a, b) => a - b);
    const statuses: Record<string, number> = {};
    for (const s of of.filter((x) => !x.ok)) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    byKind[kind] = {
      n: of.length,
      perSecond: Math.round((of.length / seconds) * 10) / 10,
      p50: Math.round(percentile(ms, 0.5)),
      p95: Math.round(percentile(ms, 0.95)),
      p99: Math.round(percentile(ms, 0.99)),
      errors: of.filter((s) => !s.ok).length,
      errorStatuses: statuses,
    };
  }
  const users = samples.filter((s) => s.kind !== 'slowSql');
  return {
    requestsPerSecond: Math.round((users.length / seconds) * 10) / 10,
    errors: users.filter((s) => !s.ok).length,
    byKind,
  };
}

/** The slow caller's own requests: how long each held it, and how each ended. */
function slowCallerSummary(of: Sample[]) {
  const ms = of.map((x) => x.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const x of of) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
  return {
    n: of.length,
    p50: Math.round(percentile(ms, 0.5)),
    p95: Math.round(percentile(ms, 0.95)),
    max: Math.round(ms.at(-1) ?? 0),
    statuses,
    note: '408: stopped by the sandbox time limit, as intended',
  };
}

async function main() {
  const server = await startEmulatorServer({ port: 0 });
  const base = server.url.replace('localhost', '127.0.0.1');
  const samples: Sample[] = [];
  const memory: { t: number; rssMb: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    memory.push({
      t: Math.round((performance.now() - started) / 1000),
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
    });
  }, 1_000);
  let phase = 'alone';

  const timed = async (kind: Kind, run: () => Promise<Response>) => {
    const t0 = performance.now();
    let status: number;
    try {
      const response = await run();
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = -1;
    }
    samples.push({
      kind,
      ms: performance.now() - t0,
      ok: status >= 200 && status < 300,
      status,
      phase,
    });
  };

  const user = async (until: () => boolean, seed: number) => {
    let token: string;
    const t0 = performance.now();
    try {
      token = await logIn(base);
      samples.push({ kind: 'login', ms: performance.now() - t0, ok: true, status: 200, phase });
    } catch (error) {
      samples.push({ kind: 'login', ms: performance.now() - t0, ok: false, status: -1, phase });
      console.error(`login failed: ${String(error)}`);
      return;
    }
    const auth = { Authorization: `Bearer ${token}` };
    // The Maps API's two steps, as @carto/api-client takes them: instantiate the source (its
    // TileJSON's URL), then the TileJSON (its tiles' URL template).
    const instantiate = `${base}/v3/maps/carto_dw/table?name=demo.retail_stores&columns=store_type`;
    const source = (await (await fetch(instantiate, { headers: auth })).json()) as {
      tilejson?: { url?: string[] };
    };
    const tilejsonUrl = source.tilejson?.url?.[0];
    if (!tilejsonUrl) throw new Error('the source has no TileJSON URL');
    const tilejson = (await (await fetch(tilejsonUrl, { headers: auth })).json()) as {
      tiles?: string[];
    };
    const template = tilejson.tiles?.[0];
    if (!template) throw new Error('the TileJSON has no tiles URL');
    let i = seed;
    while (!until()) {
      i++;
      await timed('tilejson', () => fetch(tilejsonUrl, { headers: auth }));
      // Tiles around the US at zooms 4–7.
      const z = 4 + (i % 4);
      const n = 2 ** z;
      const x = Math.floor(((-120 + ((i * 37) % 50) + 180) / 360) * n);
      const y = Math.floor(0.36 * n + (i % 3));
      const tile = template
        .replace('{z}', String(z))
        .replace('{x}', String(x))
        .replace('{y}', String(y));
      await timed('tile', () => fetch(tile, { headers: auth }));
      const west = -125 + ((i * 13) % 40);
      const spatial = JSON.stringify({
        geom: {
          type: 'Polygon',
          coordinates: [
            [
              [west, 25],
              [west + 15, 25],
              [west + 15, 45],
              [west, 45],
              [west, 25],
            ],
          ],
        },
      });
      await timed('widget', () =>
        fetch(
          `${base}/v3/sql/carto_dw/model/formula?${new URLSearchParams({
            type: 'table',
            source: 'demo.retail_stores',
            params: JSON.stringify({ column: 'revenue', operation: 'sum' }),
            spatialFilters: spatial,
            spatialDataColumn: 'geom',
            spatialDataType: 'geo',
          }).toString()}`,
          { headers: auth },
        ),
      );
    }
  };

  let slowQueries = 0;
  const slowQuery = (token: string) =>
    timed('slowSql', () =>
      fetch(
        `${base}/v3/sql/carto_dw/query?q=${encodeURIComponent(slowSql(`${++slowQueries}-${randomBytes(4).toString('hex')}`))}`,
        { headers: { Authorization: `Bearer ${token}` } },
      ),
    );

  const runPhase = async (name: string, withSlowCaller: boolean) => {
    phase = name;
    const end = performance.now() + phaseSeconds * 1000;
    const until = () => performance.now() > end;
    const slow = withSlowCaller
      ? (async () => {
          const token = await logIn(base);
          while (!until()) await slowQuery(token);
        })()
      : Promise.resolve();
    await Promise.all([...Array.from({ length: users }, (_, k) => user(until, k * 101)), slow]);
  };

  // The slow query on its own first, on an idle emulator: how long it holds the database.
  phase = 'slowAlone';
  await slowQuery(await logIn(base));
  // DuckDB sees the interrupt between vectors: let it let go before the users start.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await runPhase('alone', false);
  await runPhase('withSlowCaller', true);
  clearInterval(sampler);
  await server.close();

  const phaseSummary = (name: string) =>
    summarise(
      samples.filter((s) => s.phase === name),
      phaseSeconds,
    );
  const rss = memory.map((m) => m.rssMb);
  const minute = Math.min(60, Math.floor(memory.length / 3));
  const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
  const slowAlone = samples.find((x) => x.phase === 'slowAlone');
  const results = {
    users,
    phaseSeconds,
    slowSqlAlone: { ms: Math.round(slowAlone?.ms ?? 0), status: slowAlone?.status ?? 0 },
    alone: phaseSummary('alone'),
    withSlowCaller: phaseSummary('withSlowCaller'),
    slowCaller: slowCallerSummary(
      samples.filter((x) => x.phase === 'withSlowCaller' && x.kind === 'slowSql'),
    ),
    memory: {
      startMb: rss[0] ?? 0,
      peakMb: Math.max(...rss),
      endMb: rss.at(-1) ?? 0,
      firstStretchAvgMb: avg(rss.slice(0, minute)),
      lastStretchAvgMb: avg(rss.slice(-minute)),
      note: 'RSS of this process: the emulator and the load generator together',
    },
  };
  mkdirSync('artifacts', { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  const row = (label: string, s: ReturnType<typeof summarise>) => {
    console.log(`${label}: ${s.requestsPerSecond} req/s, ${s.errors} errors`);
    for (const [kind, x] of Object.entries(s.byKind))
      console.log(`  ${kind.padEnd(9)} ${JSON.stringify(x)}`);
  };
  console.log(`${users} users, ${phaseSeconds} s per phase`);
  const stopped = (status: number) => (status === 408 ? ' (stopped by the time limit)' : '');
  console.log(
    `slow SQL alone: ${results.slowSqlAlone.ms} ms, ${results.slowSqlAlone.status}${stopped(results.slowSqlAlone.status)}`,
  );
  if (results.slowSqlAlone.ms < 2_000)
    console.log('  warning: the slow query is not slow: the fairness phase proves nothing');
  row('alone', results.alone);
  row('with a slow SQL caller', results.withSlowCaller);
  console.log(`  slow caller: ${JSON.stringify(results.slowCaller)}`);
  console.log(`memory (MB): ${JSON.stringify(results.memory)}`);
  console.log(values.out);
}

await main();
