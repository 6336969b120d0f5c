import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../emulator/auth/tokens';
import { EmulatorConfigError, parseEmulatorConfig } from '../../../emulator/config/configSchema';
import { MAX_NAMED_SOURCES_PER_USER, NamedSources } from '../../../emulator/data/namedSources';
import { testConfig } from '../../utils/emulatorHarness';

const user = (userId: string, kind: Principal['kind'] = 'user'): Principal => ({
  kind,
  userId,
  account: userId,
  scopes: [],
  clientId: null,
});
const anyConnection = () => true;
const accept = () => Promise.resolve();

async function named(connection: Record<string, unknown> = {}) {
  const config = parseEmulatorConfig({
    ...(await testConfig()),
    connections: [
      {
        name: 'carto_dw',
        owner: 'auth0|demo',
        namedSources: [{ name: 'from-config', sql: 'SELECT 1 AS one' }],
        ...connection,
      },
    ],
  });
  return new NamedSources(config);
}

describe('named sources', () => {
  it('resolve: a name is its SQL on its own connection; SQL stays SQL', async () => {
    const sources = await named();
    expect(sources.resolve('carto_dw', ' from-config ')).toBe('SELECT 1 AS one');
    expect(sources.resolve('carto_dw', 'SELECT 2')).toBe('SELECT 2');
    expect(() => sources.resolve('other', 'from-config')).toThrow(
      'Named source "from-config" not found in connection "other"',
    );
    const only = await named({ namedSourcesOnly: true });
    expect(only.resolve('carto_dw', 'from-config')).toBe('SELECT 1 AS one');
    expect(() => only.resolve('carto_dw', 'SELECT 2')).toThrow(/runs named sources only/);
  });

  it('only the user who created one may change or delete it', async () => {
    const sources = await named();
    const body = { name: 'mine', connectionName: 'carto_dw', source: 'SELECT 3' };
    await sources.create(user('ana'), body, accept);
    await expect(
      sources.update(user('bob'), 'mine', { source: 'SELECT 4' }, anyConnection, accept),
    ).rejects.toThrow(/belongs to another user/);
    expect(() => sources.delete(user('bob'), 'mine', anyConnection)).toThrow(/another user/);
    // Unseen from a connection the caller may not use: not found, not forbidden.
    expect(() => sources.get('mine', () => false)).toThrow(/not found/);
    await sources.update(user('ana'), 'mine', { description: 'three' }, anyConnection, accept);
    expect(sources.get('mine', anyConnection)).toMatchObject({ description: 'three' });
    sources.delete(user('ana'), 'mine', anyConnection);
    expect(() => sources.get('mine', anyConnection)).toThrow(/not found/);
  });

  it('nothing is kept when the SQL check fails, and a user may keep a bounded number', async () => {
    const sources = await named();
    const refuse = () => Promise.reject(new Error('not a SELECT'));
    await expect(
      sources.create(user('ana'), { name: 'bad', connectionName: 'carto_dw', source: 'x' }, refuse),
    ).rejects.toThrow('not a SELECT');
    expect(sources.list(anyConnection).map((s) => s.name)).toEqual(['from-config']);
    for (let i = 0; i < MAX_NAMED_SOURCES_PER_USER; i++) {
      await sources.create(
        user('ana'),
        { name: `n-${i}`, connectionName: 'carto_dw', source: 'SELECT 1' },
        accept,
      );
    }
    await expect(
      sources.create(
        user('ana'),
        { name: 'one-more', connectionName: 'carto_dw', source: 'SELECT 1' },
        accept,
      ),
    ).rejects.toThrow(/at most 100/);
  });

  it('the config refuses bad and duplicate names', async () => {
    const problems = async (namedSources: unknown[]) => {
      try {
        parseEmulatorConfig({
          ...(await testConfig()),
          connections: [{ name: 'carto_dw', owner: 'auth0|demo', namedSources }],
        });
      } catch (error) {
        if (error instanceof EmulatorConfigError) return error.problems.join('\n');
        throw error;
      }
      return '';
    };
    expect(await problems([{ name: 'No Caps', sql: 'SELECT 1' }])).toMatch(/lowercase/);
    expect(
      await problems([
        { name: 'twice', sql: 'SELECT 1' },
        { name: 'twice', sql: 'SELECT 2' },
      ]),
    ).toMatch(/duplicate named source "twice"/);
  });
});
