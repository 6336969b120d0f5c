/**
 * `npm run bench -- widgets`: how fast the Stores widgets follow the map, measured in Chromium
 * (numbers, not assertions; issue 13). Serves a built app (`--dist`, default dist/: run
 * `npm run build` first) on :4173 with the emulator on :8600, logs in, opens the Stores view
 * and drags the map with the mouse, `--pans` times (default 20; `--quick` 4):
 *   - fresh pans, a few hundred px in turning directions: some released while moving (maplibre
 *     then eases on, inertia) and some held still before the release (no inertia);
 *   - every third pan drags back exactly where the last one came from: the widgets' answers
 *     for that view are cached (RTK Query), so it should take no request;
 *   - and, apart, drags that pause mid-gesture with the button held (a slow, careful pan).
 * For each pan: the time from the map settling (maplibre's `moveend`, after any inertia) to
 * every widget updated (each `<section aria-label=… aria-busy>` of "Store widgets" idle again,
 * every widget request answered) (the app writes the view to its store on `moveend`); the widget
 * model requests (`/v3/sql/<connection>/model/<model>`) it took, per model; and the requests
 * that started while the map was still moving. Widgets are found by that DOM, not by a list.
 * Also times one frame of the map's deck.gl layers with the map still: in a browser without a
 * GPU (SwiftShader, as here) each frame of a pan costs the page about that much, and nothing else
 * on the page (the widgets' answers included) runs until it ends. `--trace <file>` records a
 * Chromium trace of the second pan; `--hide-layers` pans with the map's layers hidden.
 * Writes artifacts/bench-widgets.json.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import type { Page, Request } from 'playwright-core';
import { startEmulatorServer } from '../emulator/server';
import { DEMO_LOGIN } from '../emulator/config/demoLogin';
// The e2e suite's browser and login: the bench drives the app the same way.
import { launchChromium } from '../tests/e2e/support/browser';
import { loginThroughPopup } from '../tests/e2e/support/login';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'widgets'),
  options: {
    dist: { type: 'string', default: 'dist' },
    quick: { type: 'boolean', default: false },
    pans: { type: 'string' },
    out: { type: 'string', default: 'artifacts/bench-widgets.json' },
    /** Writes a Chromium trace over the second pan (for DevTools' Performance tab). */
    trace: { type: 'string' },
    /**
     * Hides the map's layers (the layer list's "Show …" switches) before panning: the widgets'
     * own path, without deck.gl drawing the stores on every frame.
     */
    'hide-layers': { type: 'boolean', default: false },
  },
});
const pans = Number(values.pans ?? (values.quick ? 4 : 20));
const pausedDrags = values.quick ? 1 : 3;
/** A pan is over once nothing (request, widget) has happened for this long. */
const QUIET_MS = 1_200;
const PAN_TIMEOUT_MS = 20_000;
/** Held still this long before the release: maplibre measures inertia over the last 160 ms. */
const HOLD_MS = 190;
/** The pause mid-drag of a slow pan (the app used to send requests after a 250 ms pause). */
const PAUSE_MS = 600;
const WIDGETS = 'section[aria-label="Store widgets"]';
/** Requests this close before the recorded `moveend` started in the same event (see below). */
const SETTLE_SLACK_MS = 25;
/** Enough to see what holds the page's main thread (tasks, frames, GPU waits) in DevTools. */
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'gpu',
  'cc',
];
/**
 * One deck.gl frame, drawn and waited for (a readback makes the GPU finish it), four times, with
 * the map still: what every frame of a pan costs the page in this browser. The overlay is found
 * through maplibre's controls (private fields: a bench, not the app).
 */
const DECK_FRAME_MS = `(() => {
  const overlay = (window.__benchMap?._controls ?? []).find((c) => c._deck);
  const deck = overlay?._deck;
  if (!deck?.device?.gl) return null;
  const gl = deck.device.gl;
  const times = [];
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    deck.redraw('bench');
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    times.push(Math.round(performance.now() - t));
  }
  return times;
})()`;
const MODEL_PATH = /\/v3\/sql\/[^/]+\/model\/([^/?]+)/;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

function spread(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0] ?? 0,
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    max: sorted.at(-1) ?? 0,
  };
}

/** A widget model request: when it ran (the browser's wall clock, ms), and what it asked. */
interface ModelRequest {
  model: string;
  /** Its params without the histogram's ticks: the same widget asks with the same key. */
  key: string;
  start: number;
  end: number | null;
  failed: string | null;
}

/** What the page recorded (its clock as wall time: performance.timeOrigin + now()). */
interface PageLog {
  pointer: { type: string; t: number }[];
  moves: { type: string; t: number; at: [number, number]; moving: boolean }[];
  widgets: { widget: string; t: number; kind: 'busy' | 'idle' | 'content' }[];
  frames: number[];
}

// A string, not a function: tsx's helpers would not exist in the page.
const INSTRUMENT = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const log = (window.__bench = { pointer: [], moves: [], widgets: [], frames: [] });
  // Frame times (requestAnimationFrame deltas), from here until window.__benchFrames is off.
  window.__benchStartFrames = () => {
    window.__benchFrames = true;
    let last = performance.now();
    requestAnimationFrame(function tick(t) {
      log.frames.push(t - last);
      last = t;
      if (window.__benchFrames) requestAnimationFrame(tick);
    });
  };
  for (const type of ['pointerdown', 'pointerup'])
    window.addEventListener(type, () => log.pointer.push({ type, t: now() }), true);
  // Every widget section's busy flag and content, as they change.
  new MutationObserver((mutations) => {
    const t = now();
    const root = document.querySelector('${WIDGETS}');
    if (!root) return;
    for (const m of mutations) {
      const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (!node || !root.contains(node)) continue;
      const section = node.closest('section[aria-label]');
      if (!section || section === root) continue;
      const widget = section.getAttribute('aria-label');
      if (m.type === 'attributes' && m.attributeName === 'aria-busy' && node === section)
        log.widgets.push({ widget, t, kind: section.getAttribute('aria-busy') === 'true' ? 'busy' : 'idle' });
      else if (m.type !== 'attributes') log.widgets.push({ widget, t, kind: 'content' });
    }
  }).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['aria-busy'],
  });
})()`;

/**
 * The maplibre map behind the page's map, found through React's fiber of its container
 * (react-map-gl keeps it in a state hook), so its movestart/moveend can be recorded. False when
 * it cannot be found: the pans then settle on the pointer's release instead.
 */
const HOOK_MAP = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const el = document.querySelector('.maplibregl-map');
  if (!el) return false;
  const key = Object.keys(el).find((k) => k.startsWith('__reactFiber$'));
  let fiber = key ? el[key] : null;
  for (let depth = 0; fiber && depth < 12; depth++, fiber = fiber.return) {
    let hook = fiber.memoizedState;
    for (let i = 0; hook && typeof hook === 'object' && 'next' in hook && i < 50; i++, hook = hook.next) {
      const value = hook.memoizedState;
      const map = value && typeof value === 'object' ? value.map : null;
      if (map && typeof map.isMoving === 'function' && typeof map.on === 'function') {
        if (window.__benchMap !== map) {
          window.__benchMap = map;
          for (const type of ['movestart', 'move', 'moveend'])
            map.on(type, () => {
              const c = map.getCenter();
              window.__bench.moves.push({ type, t: now(), at: [c.lng, c.lat], moving: map.isMoving() });
            });
        }
        return true;
      }
    }
  }
  return false;
})()`;

const readLog = (page: Page) => page.evaluate<PageLog>('window.__bench');

/** Where the view the pans started from is now, in px from the map's centre (needs the hook). */
const offsetFromHome = (page: Page) =>
  page.evaluate<[number, number] | null>(`(() => {
    const map = window.__benchMap;
    if (!map) return null;
    const p = map.project(window.__benchHome);
    const c = map.getCanvas();
    return [p.x - c.clientWidth / 2, p.y - c.clientHeight / 2];
  })()`);

async function login(page: Page) {
  await loginThroughPopup(page);
  await page.getByRole('button', { name: /^Account:/ }).waitFor({ timeout: 20_000 });
}

/** The widgets' titles, and which are still loading. */
const widgetStates = (page: Page) =>
  page.evaluate<{ widget: string; busy: boolean; skeleton: boolean }[]>(`(() =>
    [...document.querySelectorAll('${WIDGETS} section[aria-label]')].map((s) => ({
      widget: s.getAttribute('aria-label'),
      busy: s.getAttribute('aria-busy') === 'true',
      skeleton: !!s.querySelector('[aria-label^="Loading "]'),
    })))()`);

type PanKind = 'flung' | 'placed' | 'back' | 'paused';

interface Drag {
  kind: PanKind;
  dx: number;
  dy: number;
}

interface PanResult {
  kind: PanKind;
  dx: number;
  dy: number;
  /** The view before and after the pan (the app's URL hash). */
  viewBefore: string;
  view: string;
  /** Press → release, and each mouse move's round trip (how busy the page is). */
  dragMs: number;
  mouseMoveMs: ReturnType<typeof stats>;
  /** requestAnimationFrame deltas from the press to the end of the pan. */
  frameMs: ReturnType<typeof stats>;
  /** `move` events after the settle, with no gesture. */
  movesAfterSettle: number;
  /** A pan back: whether it came back to the view (URL) the pan before it started from. */
  returnedToView?: boolean;
  jumps?: { t: number; at: number[] }[];
  /** Release → moveend: the inertia's ease (0 without inertia). */
  inertiaMs: number;
  /** moveend → every widget updated (idle, answered); null if nothing changed. */
  settledToUpdatedMs: number | null;
  releaseToUpdatedMs: number | null;
  /** moveend → the first widget request. */
  settledToFirstRequestMs: number | null;
  requests: number;
  requestsByModel: Record<string, number>;
  /** The same widget request (model and params) asked more than once in this pan. */
  duplicates: number;
  aborted: number;
  requestsWhileMoving: number;
  /** Of those, before the pointer's release. */
  requestsBeforeRelease: number;
  widgetsUpdated: number;
  /** Request start → response end, ms. */
  requestMs: number[];
  /** Every model request of the pan: start and end in ms from the settle, and how it ended. */
  trace: { model: string; start: number; end: number | null; failed: string | null }[];
  /** The pointer's press and release, in ms from the settle. */
  pointer: { down: number; release: number };
}

async function main() {
  const dist = resolve(values.dist);
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`No built app in ${dist}: run \`npm run build\` first.`);
  }
  const benchStarted = performance.now();
  const emulator = await startEmulatorServer({ port: 8600, demoLogin: DEMO_LOGIN });
  const server = await preview({
    build: { outDir: dist },
    preview: { port: 4173, strictPort: true },
    logLevel: 'warn',
  });
  const browser = await launchChromium();
  const results: Record<string, unknown> = {
    dist,
    pans,
    cpus: cpus().length,
    loadAverage: loadavg(),
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    const requests: ModelRequest[] = [];
    const byRequest = new Map<Request, ModelRequest>();
    page.on('request', (request) => {
      const match = MODEL_PATH.exec(new URL(request.url()).pathname);
      if (!match) return;
      let params: unknown = new URL(request.url()).searchParams.get('params');
      if (params === null && request.postData()) {
        params = (request.postDataJSON() as { params?: unknown } | null)?.params;
      }
      if (typeof params === 'string') params = JSON.parse(params) as unknown;
      const rest = { ...(params as Record<string, unknown> | null) };
      delete rest.ticks;
      const entry: ModelRequest = {
        model: match[1] ?? '?',
        key: `${match[1] ?? '?'} ${JSON.stringify(rest)}`,
        start: Date.now(),
        end: null,
        failed: null,
      };
      requests.push(entry);
      byRequest.set(request, entry);
    });
    const finished = (request: Request, failure: string | null) => {
      const entry = byRequest.get(request);
      if (!entry) return;
      const timing = request.timing();
      // The browser's own clock where it has it; the event's arrival otherwise.
      if (timing.startTime > 0) entry.start = timing.startTime;
      entry.end = timing.responseEnd > 0 ? timing.startTime + timing.responseEnd : Date.now();
      entry.failed = failure;
    };
    page.on('requestfinished', (request) => finished(request, null));
    page.on('requestfailed', (request) => finished(request, request.failure()?.errorText ?? '?'));

    await page.addInitScript(INSTRUMENT);
    await page.goto('http://localhost:4173/');
    await login(page);
    await page.getByRole('tab', { name: 'Stores' }).click();
    await page.waitForURL(/\/stores/);
    await page.locator('.maplibregl-canvas').waitFor();
    await page
      .getByRole('button', { name: 'Dismiss' })
      .click({ timeout: 3_000 })
      .catch(() => undefined);
    const hooked = await page.evaluate<boolean>(HOOK_MAP);
    results.settleSignal = hooked ? 'moveend' : 'pointerup (map not found)';
    if (hooked) await page.evaluate('window.__benchHome = window.__benchMap.getCenter()');

    /** Waits until no widget is loading, no request runs, and nothing happened for QUIET_MS. */
    async function quiet(since: number) {
      const deadline = Date.now() + PAN_TIMEOUT_MS;
      for (;;) {
        const states = await widgetStates(page);
        const log = await readLog(page);
        const last = Math.max(
          since,
          ...requests.map((r) => r.end ?? Infinity),
          ...requests.map((r) => r.start),
          ...log.widgets.map((w) => w.t),
        );
        const idle = states.length > 0 && states.every((s) => !s.busy && !s.skeleton);
        if (idle && Date.now() - last >= QUIET_MS) return states.map((s) => s.widget);
        if (Date.now() > deadline) {
          await page.screenshot({ path: join('artifacts', 'bench-widgets-timeout.png') });
          throw new Error(
            `widgets still busy after ${PAN_TIMEOUT_MS} ms: ${JSON.stringify(states)}`,
          );
        }
        await page.waitForTimeout(100);
      }
    }

    const firstLoad = Date.now();
    const widgets = await quiet(firstLoad);
    if (values['hide-layers']) {
      const switches = page.locator('input[aria-label^="Show "]');
      for (const toggle of await switches.all()) await toggle.uncheck();
      results.layersHidden = await switches.count();
    }
    results.widgets = widgets;
    results.firstLoad = {
      requests: requests.length,
      byModel: countBy(requests.map((r) => r.model)),
    };

    const map = page.getByTestId('map');
    const box = await map.boundingBox();
    if (!box) throw new Error('no map on the page');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;

    /** Drags the map by (dx, dy) px; returns how long each mouse move took to be handled. */
    async function drag({ kind, dx, dy }: Drag): Promise<number[]> {
      const steps = 12;
      const stepMs: number[] = [];
      await page.mouse.move(cx - dx / 2, cy - dy / 2);
      await page.mouse.down();
      for (let step = 1; step <= steps; step++) {
        const t = performance.now();
        await page.mouse.move(cx - dx / 2 + (dx * step) / steps, cy - dy / 2 + (dy * step) / steps);
        stepMs.push(performance.now() - t);
        await page.waitForTimeout(16);
        if (kind === 'paused' && step === steps / 2) await page.waitForTimeout(PAUSE_MS);
      }
      if (kind !== 'flung') await page.waitForTimeout(HOLD_MS);
      await page.mouse.up();
      return stepMs;
    }

    async function pan(d: Drag): Promise<PanResult> {
      const before = await readLog(page);
      const viewBefore = new URL(page.url()).hash;
      const firstRequest = requests.length;
      await page.evaluate('window.__benchStartFrames()');
      const stepMs = await drag(d);
      // Settled: maplibre's moveend after the release (after the inertia's ease, if any).
      const deadline = Date.now() + 5_000;
      let log = await readLog(page);
      const release =
        log.pointer.slice(before.pointer.length).find((p) => p.type === 'pointerup')?.t ??
        Date.now();
      const down =
        log.pointer.slice(before.pointer.length).find((p) => p.type === 'pointerdown')?.t ??
        release;
      let settled = release;
      if (hooked) {
        for (;;) {
          const end = log.moves.slice(before.moves.length).find((m) => m.type === 'moveend');
          if (end) {
            settled = end.t;
            break;
          }
          if (Date.now() > deadline) {
            const moves = log.moves.slice(before.moves.length).map((m) => m.type);
            await page.screenshot({ path: join('artifacts', 'bench-widgets-no-moveend.png') });
            throw new Error(`no moveend after the drag (map events: ${moves.join(' ') || 'none'})`);
          }
          await page.waitForTimeout(20);
          log = await readLog(page);
        }
      }
      await quiet(settled);
      await page.evaluate('window.__benchFrames = false');
      log = await readLog(page);
      // The camera moving again after it settled, with no gesture: a jump (e.g. back to a view
      // the app wrote to the store late).
      const jumps = log.moves
        .slice(before.moves.length)
        .filter((m) => m.type === 'move' && m.t > settled + 1);
      const mine = requests.slice(firstRequest);
      // The app asks within its own `moveend` handler, which maplibre calls before the bench's:
      // a request a few ms "before" the recorded settle (two clocks, page and browser) is in it.
      const moving = mine.filter((r) => r.start < settled - SETTLE_SLACK_MS);
      const after = mine.filter((r) => r.start >= settled - SETTLE_SLACK_MS);
      const events = log.widgets.slice(before.widgets.length).filter((w) => w.t >= settled);
      const updatedWidgets = new Set(events.map((w) => w.widget));
      const lastEvent = Math.max(...events.map((w) => w.t), ...after.map((r) => r.end ?? r.start));
      const updated = Number.isFinite(lastEvent) ? lastEvent : null;
      const keys = new Set(after.map((r) => r.key));
      return {
        kind: d.kind,
        dx: d.dx,
        dy: d.dy,
        viewBefore,
        view: new URL(page.url()).hash,
        dragMs: Math.round(release - down),
        mouseMoveMs: stats(stepMs),
        frameMs: stats(log.frames.slice(before.frames.length)),
        movesAfterSettle: jumps.length,
        ...(jumps.length > 0
          ? {
              jumps: jumps.map((m) => ({
                t: Math.round(m.t - settled),
                at: m.at.map((v) => Math.round(v * 1e4) / 1e4),
              })),
            }
          : {}),
        inertiaMs: Math.round(settled - release),
        settledToUpdatedMs: updated === null ? null : Math.round(updated - settled),
        releaseToUpdatedMs: updated === null ? null : Math.round(updated - release),
        settledToFirstRequestMs: after[0]
          ? Math.max(0, Math.round(after[0].start - settled))
          : null,
        requests: after.length,
        requestsByModel: countBy(after.map((r) => r.model)),
        duplicates: after.length - keys.size,
        aborted: mine.filter((r) => r.failed !== null).length,
        requestsWhileMoving: moving.length,
        requestsBeforeRelease: moving.filter((r) => r.start >= down && r.start < release).length,
        widgetsUpdated: updatedWidgets.size,
        requestMs: after
          .filter((r) => r.end !== null)
          .map((r) => Math.round((r.end ?? 0) - r.start)),
        trace: mine.map((r) => ({
          model: r.model,
          start: Math.round(r.start - settled),
          end: r.end === null ? null : Math.round(r.end - settled),
          failed: r.failed,
        })),
        pointer: { down: Math.round(down - settled), release: Math.round(release - settled) },
      };
    }

    // Fresh pans turn by the golden angle, 220–340 px, and stay within 450 px of the first
    // view (the stores are in the US); every third drags the last one back.
    const panResults: PanResult[] = [];
    let offset: [number, number] = [0, 0];
    let last: Drag | null = null;
    for (let i = 0; i < pans; i++) {
      let d: Drag;
      if (i % 3 === 2 && last) {
        d = { kind: 'back', dx: -last.dx, dy: -last.dy };
      } else {
        const length = 220 + ((i * 53) % 120);
        let angle = (i * 137.5 * Math.PI) / 180;
        for (let turn = 0; turn < 8; turn++) {
          const [x, y] = [
            offset[0] + Math.cos(angle) * length,
            offset[1] + Math.sin(angle) * length,
          ];
          if (Math.hypot(x, y) <= 450) break;
          angle += Math.PI / 4;
        }
        d = {
          // Released while moving (inertia) on even fresh pans; held still on the others, so
          // the next one can drag it back exactly.
          kind: i % 3 === 0 ? 'flung' : 'placed',
          dx: Math.round(Math.cos(angle) * length),
          dy: Math.round(Math.sin(angle) * length),
        };
      }
      const tracing = values.trace !== undefined && i === 1;
      if (tracing) {
        await browser.startTracing(page, {
          path: values.trace,
          categories: TRACE_CATEGORIES,
        });
      }
      const result = await pan(d);
      if (tracing) await browser.stopTracing();
      if (d.kind === 'back') {
        const mapView = (hash: string) => /map=[^&]*/.exec(hash)?.[0];
        result.returnedToView =
          mapView(result.view) === mapView(panResults.at(-1)?.viewBefore ?? '');
      }
      panResults.push(result);
      last = d.kind === 'placed' ? d : null;
      offset = (await offsetFromHome(page)) ?? [offset[0] + d.dx, offset[1] + d.dy];
      console.log(
        `pan ${String(i + 1).padStart(2)} ${d.kind.padEnd(6)} (${String(d.dx).padStart(4)}, ${String(d.dy).padStart(4)}) px: ` +
          `settled → updated ${result.settledToUpdatedMs ?? '-'} ms, ${result.requests} requests ` +
          `${JSON.stringify(result.requestsByModel)}, ${result.requestsWhileMoving} while moving`,
      );
    }
    // Slow pans: the button held through a pause.
    const paused: PanResult[] = [];
    for (let i = 0; i < pausedDrags; i++) {
      const angle = ((i * 137.5 + 60) * Math.PI) / 180;
      const toward = offset[0] * Math.cos(angle) + offset[1] * Math.sin(angle) > 0 ? -1 : 1;
      const result = await pan({
        kind: 'paused',
        dx: Math.round(toward * Math.cos(angle) * 260),
        dy: Math.round(toward * Math.sin(angle) * 260),
      });
      paused.push(result);
      offset = (await offsetFromHome(page)) ?? offset;
      console.log(
        `paused drag: ${result.requestsBeforeRelease} requests before the release, ` +
          `${result.requests} after the settle`,
      );
    }

    const fresh = panResults.filter((r) => r.kind !== 'back');
    const back = panResults.filter((r) => r.kind === 'back');
    const ms = (list: PanResult[]) =>
      stats(list.flatMap((r) => (r.settledToUpdatedMs === null ? [] : [r.settledToUpdatedMs])));
    const perModel = (list: PanResult[]) => {
      const models = [...new Set(list.flatMap((r) => Object.keys(r.requestsByModel)))];
      return Object.fromEntries(
        models.map((m) => [m, spread(list.map((r) => r.requestsByModel[m] ?? 0))]),
      );
    };
    results.summary = {
      widgets: widgets.length,
      panSettledToWidgetsUpdatedMs: ms(fresh),
      byKind: {
        flung: ms(fresh.filter((r) => r.kind === 'flung')),
        placed: ms(fresh.filter((r) => r.kind === 'placed')),
      },
      releaseToWidgetsUpdatedMs: stats(
        fresh.flatMap((r) => (r.releaseToUpdatedMs === null ? [] : [r.releaseToUpdatedMs])),
      ),
      inertiaMs: stats(fresh.map((r) => r.inertiaMs)),
      settledToFirstRequestMs: stats(
        fresh.flatMap((r) =>
          r.settledToFirstRequestMs === null ? [] : [r.settledToFirstRequestMs],
        ),
      ),
      requestMs: stats(fresh.flatMap((r) => r.requestMs)),
      requestsPerPan: spread(fresh.map((r) => r.requests)),
      requestsPerWidgetPerPan:
        Math.round(
          (fresh.reduce((sum, r) => sum + r.requests, 0) / fresh.length / widgets.length) * 100,
        ) / 100,
      requestsPerPanByModel: perModel(fresh),
      duplicateRequests: fresh.reduce((sum, r) => sum + r.duplicates, 0),
      abortedRequests: panResults.reduce((sum, r) => sum + r.aborted, 0),
      requestsWhileMoving: panResults.reduce((sum, r) => sum + r.requestsWhileMoving, 0),
      panBackCached: {
        pans: back.length,
        returnedToView: back.filter((r) => r.returnedToView).length,
        settledToWidgetsUpdatedMs: ms(back),
        requestsPerPan: spread(back.map((r) => r.requests)),
      },
      pausedMidDrag: {
        pauseMs: PAUSE_MS,
        requestsBeforeRelease: paused.reduce((sum, r) => sum + r.requestsBeforeRelease, 0),
        requestsAfterSettle: spread(paused.map((r) => r.requests)),
      },
      dragMs: stats(panResults.map((r) => r.dragMs)),
      frameMsMedianOfPans: stats(panResults.map((r) => r.frameMs.p50)),
      frameMsMaxOfPans: stats(panResults.map((r) => r.frameMs.max)),
      movesAfterSettle: panResults.reduce((sum, r) => sum + r.movesAfterSettle, 0),
      // What one frame of the map's deck.gl layers costs this browser, the map still.
      deckFrameMs: hooked ? await page.evaluate<number[] | null>(DECK_FRAME_MS) : null,
    };
    results.pans = panResults;
    results.pausedDrags = paused;
    results.pageErrors = errors;
  } finally {
    await browser.close();
    await server.close();
    await emulator.close();
  }
  results.loadAverageAfter = loadavg();
  results.benchSeconds = Math.round((performance.now() - benchStarted) / 100) / 10;
  mkdirSync(dirname(resolve(values.out)), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results.summary as Summary);
  console.log(`${values.out} (${String(results.benchSeconds)} s)`);
}

type Summary = Record<string, unknown> & {
  widgets: number;
  panSettledToWidgetsUpdatedMs: ReturnType<typeof stats>;
  releaseToWidgetsUpdatedMs: ReturnType<typeof stats>;
  settledToFirstRequestMs: ReturnType<typeof stats>;
  requestMs: ReturnType<typeof stats>;
  requestsPerPan: ReturnType<typeof spread>;
  requestsPerWidgetPerPan: number;
  requestsPerPanByModel: Record<string, ReturnType<typeof spread>>;
  duplicateRequests: number;
  requestsWhileMoving: number;
  movesAfterSettle: number;
  dragMs: ReturnType<typeof stats>;
  frameMsMaxOfPans: ReturnType<typeof stats>;
  deckFrameMs: number[] | null;
  panBackCached: {
    pans: number;
    returnedToView: number;
    settledToWidgetsUpdatedMs: ReturnType<typeof stats>;
    requestsPerPan: ReturnType<typeof spread>;
  };
  pausedMidDrag: { requestsBeforeRelease: number };
};

function countBy(list: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of list) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

function printTable(s: Summary) {
  const t = (x: ReturnType<typeof stats>) =>
    `p50 ${x.p50} / p95 ${x.p95} / max ${x.max} ms (n ${x.n})`;
  const r = (x: ReturnType<typeof spread>) => `${x.min} / ${x.median} / ${x.max}`;
  const rows: [string, string][] = [
    ['widgets', String(s.widgets)],
    ['pan settled → widgets updated', t(s.panSettledToWidgetsUpdatedMs)],
    ['  release → widgets updated', t(s.releaseToWidgetsUpdatedMs)],
    ['  settled → first request', t(s.settledToFirstRequestMs)],
    ['  request → response', t(s.requestMs)],
    ['requests per pan (min/median/max)', r(s.requestsPerPan)],
    ['requests per widget per pan', String(s.requestsPerWidgetPerPan)],
    ...Object.entries(s.requestsPerPanByModel).map(([model, x]): [string, string] => [
      `  ${model} per pan`,
      r(x),
    ]),
    ['duplicate requests (same widget, same pan)', String(s.duplicateRequests)],
    ['requests while moving (total)', String(s.requestsWhileMoving)],
    ['camera moves after the settle (jumps)', String(s.movesAfterSettle)],
    ['drag press → release', t(s.dragMs)],
    ['frame time during pans (max per pan)', t(s.frameMsMaxOfPans)],
    [
      'one deck.gl frame, map still (4 tries)',
      s.deckFrameMs ? `${s.deckFrameMs.join(', ')} ms` : '-',
    ],
    [
      'pan back: came back to the same view',
      `${s.panBackCached.returnedToView} of ${s.panBackCached.pans}`,
    ],
    ['pan back (cached): settled → updated', t(s.panBackCached.settledToWidgetsUpdatedMs)],
    ['pan back (cached): requests per pan', r(s.panBackCached.requestsPerPan)],
    ['paused drag: requests before release', String(s.pausedMidDrag.requestsBeforeRelease)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

await main();
