import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseEmulatorConfig, EmulatorConfigError, type EmulatorConfig } from './configSchema';

export const DEMO_CONFIG_PATH = fileURLToPath(new URL('./demo-config.json', import.meta.url));

/** Reads and validates a config file; every problem is reported with the file and field. */
export async function loadEmulatorConfig(path = DEMO_CONFIG_PATH): Promise<EmulatorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmulatorConfigError([`cannot read the file: ${reason}`], path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmulatorConfigError([`not valid JSON: ${reason}`], path);
  }
  return parseEmulatorConfig(json, path);
}
