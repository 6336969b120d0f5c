import { describe, expect, it } from 'vitest';
import { EmulatorConfigError, parseEmulatorConfig } from '../../../emulator/config/configSchema';
import { loadEmulatorConfig } from '../../../emulator/config/loadEmulatorConfig';
import { testConfig } from '../../utils/emulatorHarness';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function problemsOf(mutate: (config: Record<string, unknown>) => void): Promise<string[]> {
  const config = structuredClone(await testConfig()) as Record<string, unknown>;
  mutate(config);
  try {
    parseEmulatorConfig(config);
  } catch (error) {
    if (error instanceof EmulatorConfigError) return error.problems;
    throw error;
  }
  return [];
}

type Clients = { allowedCallbackUrls: string[]; user?: string }[];

describe('emulator config', () => {
  it('the bundled demo config is valid', async () => {
    const config = await loadEmulatorConfig();
    expect(config.demo).toBe(true);
    expect(config.spaClients.map((c) => c.clientId)).toContain('demo-spa-client');
    expect(config.spaClients[0]?.allowedCallbackUrls).toContain(
      'http://localhost:5173/oauth-callback.html',
    );
    expect(config.spaClients[0]?.allowedCallbackUrls).toContain(
      'http://127.0.0.1:5173/oauth-callback.html',
    );
    expect(config.m2mClients).toHaveLength(1);
    // Hashes only: no plain password or secret in the file.
    expect(JSON.stringify(config)).not.toContain('demo-password');
  });

  it('refuses an invalid wildcard callback URL, naming the field and the rule', async () => {
    const problems = await problemsOf((c) => {
      (c.spaClients as Clients)[0]?.allowedCallbackUrls.push('https://sub.*.example.com/cb');
    });
    expect(problems).toEqual([
      'spaClients[0].allowedCallbackUrls[2]: "https://sub.*.example.com/cb": the wildcard must be in the subdomain furthest from the root',
    ]);
  });

  it('reports every problem at once', async () => {
    const problems = await problemsOf((c) => {
      (c.users as { email: string }[])[0]!.email = 'not-an-email';
      (c.m2mClients as Clients)[0]!.user = 'nobody';
      (c.spaClients as Clients)[1]!.allowedCallbackUrls = [];
    });
    expect(problems.some((p) => p.startsWith('users[0].email'))).toBe(true);
    expect(problems).toContain('m2mClients[0].user: no user "nobody"');
    expect(problems.some((p) => p.startsWith('spaClients[1].allowedCallbackUrls'))).toBe(true);
  });

  it('refuses plain-text passwords, unknown scopes and duplicate client ids', async () => {
    expect(
      await problemsOf((c) => {
        (c.users as { passwordHash: string }[])[0]!.passwordHash = 'hunter2';
      }),
    ).toEqual([expect.stringContaining('users[0].passwordHash: must be a hash')]);
    expect(
      await problemsOf((c) => {
        (c.m2mClients as { scopes: string[] }[])[0]!.scopes = ['read:everything'];
      }),
    ).toEqual(['m2mClients[0].scopes: unknown scopes: read:everything']);
    expect(
      await problemsOf((c) => {
        (c.spaClients as { clientId: string }[])[1]!.clientId = 'spa';
      }),
    ).toEqual(['spaClients: duplicate clientId "spa"']);
  });

  it('a bad config file stops start-up with the file and the reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emu-config-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, '{ "users": [ }');
    await expect(loadEmulatorConfig(file)).rejects.toThrow(
      /Invalid emulator config \(.*bad\.json\):\n {2}- not valid JSON/,
    );
    await expect(loadEmulatorConfig(join(dir, 'missing.json'))).rejects.toThrow(
      'cannot read the file',
    );
  });
});
