import { defineConfig } from 'vitest/config';
import base, { JSDOM_TESTS } from './vitest.config.ts';

/**
 * `npm run test:security`: the adversarial suite (tests/security): forged callbacks, redirect
 * URIs, PKCE/code/refresh misuse, scope escalation, the SQL sandbox, and property-based fuzzing
 * of the emulator's endpoints and the app's callback parser. Each file prints a table of what
 * it tried and how much was (wrongly) accepted, and fails on any.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // One run of its own, not the unit and integration projects: jsdom by default, Node where
    // a file says so.
    projects: undefined,
    ...JSDOM_TESTS,
    include: ['tests/security/**/*.test.{ts,tsx}'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
