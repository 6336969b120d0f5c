import { BASEMAP } from '@deck.gl/carto';
import type { BasemapId } from '../../config/configTypes';
import type { ThemeMode } from '../theme/themeMode';

/** CARTO's basemap styles (`BASEMAP` of @deck.gl/carto) plus the bundled offline one. */
export interface BasemapOption {
  id: Exclude<BasemapId, 'auto'>;
  label: string;
  /** The style's URL in light and in dark mode (the same for a basemap of one look). */
  style: Record<ThemeMode, string>;
  online: boolean;
}

const both = (url: string) => ({ light: url, dark: url });
const offlineUrl = (file: string) => `${import.meta.env.BASE_URL}basemap/${file}`;

export const BASEMAPS: readonly BasemapOption[] = [
  { id: 'positron', label: 'Positron', style: both(BASEMAP.POSITRON), online: true },
  { id: 'voyager', label: 'Voyager', style: both(BASEMAP.VOYAGER), online: true },
  { id: 'dark-matter', label: 'Dark Matter', style: both(BASEMAP.DARK_MATTER), online: true },
  {
    id: 'offline',
    label: 'Offline (Natural Earth)',
    style: { light: offlineUrl('style.json'), dark: offlineUrl('style-dark.json') },
    online: false,
  },
];

/** What the selector offers: the basemaps, and following the light/dark mode. */
export const BASEMAP_CHOICES: readonly { id: BasemapId; label: string }[] = [
  { id: 'auto', label: 'Automatic (follows the theme)' },
  ...BASEMAPS,
];

export function basemapById(id: BasemapOption['id']): BasemapOption {
  const found = BASEMAPS.find((b) => b.id === id);
  if (!found) throw new Error(`Unknown basemap "${id}"`);
  return found;
}

/** The basemap shown for a choice in a mode: 'auto' is Positron in light, Dark Matter in dark. */
export function resolveBasemap(id: BasemapId, mode: ThemeMode): BasemapOption {
  if (id !== 'auto') return basemapById(id);
  return basemapById(mode === 'dark' ? 'dark-matter' : 'positron');
}

/** How long an online style may take before the offline basemap is shown instead. */
const BASEMAP_LOAD_TIMEOUT_MS = 8000;

export type BasemapStyle = Record<string, unknown> & { version: number; layers: unknown[] };

/**
 * Fetches a basemap's style document, failing fast with a readable reason (HTTP status, network
 * error or timeout), so the map can fall back to the offline basemap instead of staying blank.
 */
export async function loadBasemapStyle(
  option: BasemapOption,
  mode: ThemeMode,
  {
    signal,
    timeoutMs = BASEMAP_LOAD_TIMEOUT_MS,
  }: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<BasemapStyle> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(new URL(option.style[mode], window.location.href), { signal: combined });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted)
      throw new Error(`no answer within ${timeoutMs / 1000} s`, { cause: error });
    throw new Error('network error — are you offline?', { cause: error });
  }
  if (!response.ok) throw new Error(`the style server answered ${response.status}`);
  let style: unknown;
  try {
    style = await response.json();
  } catch (error) {
    throw new Error('the style is not valid JSON', { cause: error });
  }
  if (!isStyle(style)) throw new Error('the style is not a map style (version 8)');
  return style;
}

function isStyle(value: unknown): value is BasemapStyle {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { version?: unknown }).version === 8 &&
    Array.isArray((value as { layers?: unknown }).layers)
  );
}
