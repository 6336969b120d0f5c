import { beforeEach, describe, expect, it, vi } from 'vitest';

// Before each test, not after: the Node project shares modules between files (vitest.config.ts),
// so another file may have loaded this one already.
beforeEach(() => {
  vi.resetModules();
});

/** A fresh copy of the module (its parsing mode is module state). */
const load = () => import('../../../src/features/map/layers/tileWorkers');

class FakeWorker extends EventTarget {
  terminated = false;
  terminate() {
    this.terminated = true;
  }
}

describe('tile workers', () => {
  it('a worker script that fails to start sends tiles to the main thread, said once', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { probeTileWorkers, tileParsing } = await load();
    expect(tileParsing.get()).toBe('workers');
    const changes = vi.fn();
    tileParsing.subscribe(changes);
    let worker: FakeWorker | undefined;
    probeTileWorkers((url) => {
      expect(url).toMatch(/mvt-worker/);
      worker = new FakeWorker();
      return worker as unknown as Worker;
    });
    worker?.dispatchEvent(Object.assign(new Event('error'), { message: 'blocked by CSP' }));
    expect(tileParsing.get()).toBe('main-thread');
    expect(worker?.terminated).toBe(true);
    tileParsing.fallBack('again');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('blocked by CSP');
    expect(changes).toHaveBeenCalledTimes(1);
    vi.unstubAllGlobals();
  });

  it('a worker that starts keeps tiles in workers', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('Worker', FakeWorker);
    const { probeTileWorkers, tileParsing } = await load();
    const worker = new FakeWorker();
    probeTileWorkers(() => worker as unknown as Worker);
    vi.advanceTimersByTime(10_000);
    expect(worker.terminated).toBe(true);
    expect(tileParsing.get()).toBe('workers');
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('tells a worker that cannot start from a tile the server refused', async () => {
    const { isWorkerStartError } = await load();
    expect(isWorkerStartError(new Error('Failed to construct Worker: script blocked'))).toBe(true);
    expect(isWorkerStartError(new Error('Worker error: 503 Service Unavailable'))).toBe(false);
    expect(isWorkerStartError(new Error('Unexpected end of tile'))).toBe(false);
  });
});
