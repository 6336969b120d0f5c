/**
 * `npm run bench -- map`: the map's main thread in Chromium, measured with the Long Tasks API
 * (numbers, not assertions). Serves a built app (`--dist`, default dist/: run `npm run build`
 * first) on :4173 with the emulator on :8600, logs in, and then:
 *   - with retail_stores and us_states on, adds populated_places, then population_quadbin,
 *     and records every main-thread task over 50 ms in the 8 s after each add;
 *   - with those layers on, pans the map for 6 s and records frame times (rAF deltas) and
 *     long tasks.
 * Writes artifacts/bench-map.json. `--quick` shortens the waits (CI smoke).
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import type { Page } from 'playwright-core';
import { startEmulatorServer } from '../emulator/server';
import { DEMO_LOGIN } from '../emulator/config/demoLogin';
// The e2e suite's browser and login: the bench drives the app the same way.
import { launchChromium } from '../tests/e2e/support/browser';
import { loginThroughPopup } from '../tests/e2e/support/login';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'map'),
  options: {
    dist: { type: 'string', default: 'dist' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'artifacts/bench-map.json' },
    // Also a CPU profile of the main thread while each layer is added: where the time goes.
    profile: { type: 'boolean', default: false },
  },
});
const settleMs = values.quick ? 3_000 : 8_000;
const panMs = values.quick ? 2_000 : 6_000;

interface LongTask {
  start: number;
  duration: number;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string };
    hitCount?: number;
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Tile decoding, by the modules that do it (loaders.gl MVT/GIS, pbf, CARTO tile schemas). */
const TILE_PARSING =
  /mvt|pbf|loaders\.gl|gis|carto-(spatial|vector|properties)-tile|spatialjson|binary/i;

/**
 * Main-thread milliseconds by where they went: tile parsing, garbage collection, the browser's
 * own work outside JavaScript, idle, and the JavaScript functions that took the most self time.
 */
function summarize(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0) / 1000));
  let parsing = 0;
  let idle = 0;
  let native = 0;
  let gc = 0;
  const byFunction = new Map<string, number>();
  for (const [id, ms] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') idle += ms;
    // Outside JavaScript: the browser's own work on this thread (GL calls, layout, paint).
    else if (frame.functionName === '(program)') native += ms;
    else if (frame.functionName === '(garbage collector)') gc += ms;
    else if (TILE_PARSING.test(frame.url) || TILE_PARSING.test(frame.functionName)) parsing += ms;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  }
  const top = [...byFunction]
    .filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(program)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, ms]) => `${Math.round(ms)} ms ${name}`);
  return {
    tileParsingMs: Math.round(parsing),
    gcMs: Math.round(gc),
    nativeMs: Math.round(native),
    idleMs: Math.round(idle),
    top,
  };
}

async function login(page: Page) {
  await loginThroughPopup(page);
  await page.getByRole('button', { name: /^Account:/ }).waitFor({ timeout: 20_000 });
}

async function add(page: Page, dataset: string) {
  await page.getByRole('button', { name: `Add ${dataset} to the map` }).click();
  try {
    await page.getByRole('list', { name: `Legend of ${dataset}` }).waitFor({ timeout: 30_000 });
  } catch (error) {
    await page.screenshot({ path: join('artifacts', `bench-map-failed-${dataset}.png`) });
    throw error;
  }
}

const takeLongTasks = (page: Page) => page.evaluate<LongTask[]>('window.__longTasks.splice(0)');

async function main() {
  const dist = resolve(values.dist);
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`No built app in ${dist}: run \`npm run build\` first.`);
  }
  const emulator = await startEmulatorServer({ port: 8600, demoLogin: DEMO_LOGIN });
  const server = await preview({
    build: { outDir: dist },
    preview: { port: 4173, strictPort: true },
    logLevel: 'warn',
  });
  const browser = await launchChromium();
  const results: Record<string, unknown> = { dist };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
    await page.addInitScript(`
      window.__longTasks = [];
      new PerformanceObserver(function (list) {
        for (const entry of list.getEntries())
          window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    `);
    await page.goto('http://localhost:4173/');
    await login(page);
    await add(page, 'retail_stores');
    await add(page, 'us_states');
    await page.waitForTimeout(settleMs);

    const cdp = values.profile ? await page.context().newCDPSession(page) : null;
    for (const dataset of ['populated_places', 'population_quadbin']) {
      await takeLongTasks(page);
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
      }
      await add(page, dataset);
      await page.waitForTimeout(settleMs);
      const tasks = await takeLongTasks(page);
      results[`add ${dataset}`] = {
        longTasks: tasks.length,
        over100ms: tasks.filter((t) => t.duration > 100).length,
        maxMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
        totalMs: Math.round(tasks.reduce((sum, t) => sum + t.duration, 0)),
        ...(cdp ? { mainThread: summarize((await cdp.send('Profiler.stop')).profile) } : {}),
      };
    }

    // Pan with the layers on: drag across the map, frame times from requestAnimationFrame.
    await takeLongTasks(page);
    const map = page.getByTestId('map');
    const box = await map.boundingBox();
    if (!box) throw new Error('no map on the page');
    // A string, not a function: tsx's helpers would not exist in the page.
    await page.evaluate(`(() => {
      window.__frames = [];
      let last = performance.now();
      const end = last + ${panMs};
      function tick(now) {
        window.__frames.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
    })()`);
    const started = Date.now();
    let direction = 1;
    while (Date.now() - started < panMs) {
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width / 2, y);
      await page.mouse.down();
      for (let step = 1; step <= 10; step++) {
        await page.mouse.move(box.x + box.width / 2 + direction * step * 25, y + step * 4);
      }
      await page.mouse.up();
      direction = -direction;
    }
    await page.waitForTimeout(500);
    const frames = await page.evaluate(
      () => (window as unknown as { __frames: number[] }).__frames,
    );
    const panTasks = await takeLongTasks(page);
    results['pan with 4 layers'] = {
      frameMs: stats(frames),
      longTasks: panTasks.length,
      over100ms: panTasks.filter((t) => t.duration > 100).length,
      maxLongTaskMs: Math.round(Math.max(0, ...panTasks.map((t) => t.duration))),
    };
    results.tileWorkers = [...new Set(workers)].filter((w) => !w.includes('maplibre'));
  } finally {
    await browser.close();
    await server.close();
    await emulator.close();
  }
  mkdirSync(join(process.cwd(), 'artifacts'), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

await main();
