/**
 * The app's origin in tests: the jsdom document's URL, and the callback URL that the
 * emulator's test clients register.
 */
export const APP = 'http://localhost:5173';

/** Vitest's jsdom options: the document opens at the app's origin. */
export const JSDOM_OPTIONS = { jsdom: { url: `${APP}/` } };
