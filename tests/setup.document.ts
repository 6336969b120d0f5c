import { afterAll, vi } from 'vitest';
import { builtinEnvironments } from 'vitest/runtime';
import { JSDOM_OPTIONS } from './appOrigin';

/**
 * The first setup file of the shared jsdom project (vitest.config.ts). Its files run one after
 * another in a worker that keeps what Node loaded itself (jsdom, MSW, DuckDB, the emulator's
 * other libraries, React), and nothing else of the file before:
 * - the modules Vite serves are evaluated again: the app, the emulator's own code, and the
 *   bundled dependencies (react-dom, MUI, emotion, Testing Library, CodeMirror);
 * - the file gets a new jsdom document: its own window, storage, URL, head and listeners.
 */

const slot = Symbol.for('carto-login-starter:test-document');
const worker = globalThis as typeof globalThis & { [slot]?: () => Promise<void> };

// The previous file's document is closed now, not when that file ended: React may still have
// work queued (passive effects after the last commit), and it reads `window` when it runs.
await worker[slot]?.();

vi.resetModules();
// Vitest's jsdom wraps Node's Request and URL, and leaves its wrappers in place when it is
// torn down: the next file's would wrap those, one more level each time.
const { Request, URL } = globalThis;
const environment = await builtinEnvironments.jsdom.setup(globalThis, JSDOM_OPTIONS);
worker[slot] = async () => {
  await environment.teardown(globalThis);
  Object.assign(globalThis, { Request, URL });
};

afterAll(() => {
  vi.useRealTimers();
});
