/**
 * The app's origin in tests: the jsdom document's URL, and the callback URL that the
 * emulator's test clients register.
 */
export const APP = 'http://localhost:5173';
