import type { RGBA } from '../mapSlice';

/** Default colours of layers (kept apart from the factories so the UI need not load deck.gl). */
export const DEFAULT_FILL: RGBA = [3, 111, 226, 200];
export const DEFAULT_LINE: RGBA = [255, 255, 255, 220];
