/**
 * Controls of the shared e2e emulator (started with its test controls on, in globalSetup.ts).
 * The built app talks to http://localhost:8600 only, so a test that needs the emulator in
 * another state restarts that one rather than starting its own.
 */

/**
 * Restarts the emulator as a new process would start (new signing keys; no sessions, grants or
 * tokens from before), with `coop` changed for this run, or as it was started when left out.
 */
export async function restartEmulator(
  emulatorUrl: string,
  options: { coop?: boolean } = {},
): Promise<void> {
  const response = await fetch(new URL('/__restart', emulatorUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(options),
  });
  if (!response.ok) {
    throw new Error(`The emulator did not restart: ${response.status} ${await response.text()}`);
  }
}
