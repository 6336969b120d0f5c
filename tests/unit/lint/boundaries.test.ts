import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundaries } from '../../../eslint.boundaries.js';

/** Lints one import as if it were in `filePath`, with the boundary rules only (no type info). */
async function violations(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
      ...boundaries,
    ],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('import boundaries (eslint.boundaries.js)', () => {
  it.each([
    ['emulator/data/x.ts', "import { x } from '../../src/store/store';"],
    ['emulator/data/x.ts', "import { x } from '../../carto-auth/cartoAuth';"],
    ['emulator/data/x.ts', "import React from 'react';"],
    ['carto-auth/x.ts', "import { x } from '../src/features/oauth/popup';"],
    ['carto-auth/x.ts', "import { x } from '../emulator/createEmulator';"],
    ['protocol/x.ts', "import { x } from '../src/config/configTypes';"],
    ['protocol/x.ts', "import { configureStore } from '@reduxjs/toolkit';"],
    ['src/features/map/x.ts', "import { x } from '../../views/stores/StoresView';"],
    ['src/api/x.ts', "import Workspace from '../Workspace';"],
    ['src/data/x.ts', "import { SqlView } from '../views/sql/SqlView';"],
    ['src/views/isochrones/x.tsx', "import { x } from '../stores/StoresView';"],
    ['src/views/sql/x.tsx', "import { x } from '../../views/datasets/datasetLayer';"],
    ['src/views/sql/x.tsx', "import { Root } from '../../Root';"],
    ['src/features/oauth/x.ts', "import { x } from '../../../emulator/createEmulator';"],
    ['src/store/x.ts', "import { useSelector } from 'react-redux';"],
  ])('refuses %s -> %s', async (file, code) => {
    expect(await violations(file, code)).toEqual(['no-restricted-imports']);
  });

  it('refuses browser globals in the shared protocol', async () => {
    expect(await violations('protocol/x.ts', 'export const here = window.location.href;')).toEqual([
      'no-restricted-globals',
    ]);
  });

  it.each([
    ['emulator/data/x.ts', "import { parseScope } from '../../protocol/scopes';"],
    ['carto-auth/x.ts', "import { startAuthorization } from '../protocol/oauthClient';"],
    ['src/views/isochrones/x.tsx', "import { STORES_SOURCE } from '../../data/sources';"],
    ['src/views/datasets/x.tsx', "import { datasetSource } from './datasetLayer';"],
    ['src/features/map/x.ts', "import { cartoApi } from '../../api/cartoApi';"],
    ['src/Workspace.tsx', "import { SqlView } from './views/sql/SqlView';"],
    ['src/store/hooks.ts', "import { useSelector } from 'react-redux';"],
  ])('allows %s -> %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
