import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEnv } from 'vite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENV_VARIABLES, loadConfig } from '../../../src/config/loadConfig';
import { initialState } from '../../../src/store/initialStateSlice';

const EXAMPLE = resolve(process.cwd(), '.env.example');

describe('.env.example', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'env-example-'));
    // loadEnv also reads VITE_* from the shell: keep only what the file says.
    for (const key of Object.keys(process.env).filter((k) => k.startsWith('VITE_')))
      vi.stubEnv(key, undefined);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    vi.unstubAllEnvs();
  });

  it('copied to .env as-is, starts the app with the defaults of initialStateSlice.ts', () => {
    copyFileSync(EXAMPLE, join(dir, '.env'));
    // Vite's own reading of .env: what import.meta.env holds in the browser.
    const env = loadEnv('development', dir);
    // The file does set the variables (to empty): this is what used to fail.
    expect(env).toHaveProperty('VITE_CARTO_CLIENT_ID', '');

    expect(loadConfig(initialState, env)).toEqual({ ok: true, config: initialState });
  });

  it('documents exactly the variables the app reads, each with a comment', () => {
    const lines = readFileSync(EXAMPLE, 'utf8').split(/\r?\n/);
    const documented: string[] = [];
    lines.forEach((line, index) => {
      const name = /^\s*(?:#\s*)?(VITE_\w+)=/.exec(line)?.[1];
      if (!name) return;
      documented.push(name);
      expect(lines[index - 1]?.trim().startsWith('#'), `comment above ${name}`).toBe(true);
    });

    expect(documented.sort()).toEqual(ENV_VARIABLES.map((v) => v.name).sort());
  });
});
