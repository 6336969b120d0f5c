/** Where the app's default configuration points: the emulator's usual address. */
export const EMULATOR_URL = 'http://localhost:8600';
