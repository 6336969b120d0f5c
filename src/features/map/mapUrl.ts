/**
 * The map as a link: the view, the basemap and the layers of remote tables and tilesets live in
 * the URL's hash (`#map=zoom/lat/lng[/bearing/pitch]&basemap=id&layers=...`), so a styled map
 * can be shared by copying the address. `layers` is the base64url of UTF-8 JSON
 * `{sources, layers}`; a future format would take another parameter name.
 *
 * A lazy chunk (the first screen's budget has no room for it): loaded at start-up when the page
 * has a hash (`preloadedStateFromUrl`) and by the listener that writes the link
 * (src/store/listeners.ts).
 *
 * The hash is untrusted input (anyone can craft a link): `decodeMapHash` validates every part,
 * drops what is invalid with one warning and keeps the rest. A link never carries credentials,
 * SQL (query sources) or a model's results (inline GeoJSON); its layers draw with the token of
 * whoever opens it, once logged in.
 */
import type { EntityState } from '@reduxjs/toolkit';
import * as v from 'valibot';
import { configSchema } from '../../config/configSchema';
import type { BasemapId, ViewState } from '../../config/configTypes';
import { sourceAdded, sourcesSlice, type SourceDescriptor } from '../sources/sourcesSlice';
import { layerAdded, mapSlice, type LayerConfig, type LayerStyle, type MapState } from './mapSlice';
import type { WidgetsState } from '../widgets/widgetsSlice';

/** What the link is written from: the map and the sources. */
export interface MapUrlState {
  map: MapState;
  sources: EntityState<SourceDescriptor, string>;
}

/** What a link says. Parts it does not carry (or that were invalid) are absent or empty. */
export interface MapLink {
  viewState?: ViewState;
  basemap?: BasemapId;
  /** The layers' sources, without credentials. */
  sources: SourceDescriptor[];
  /** In drawing order (first = bottom); each one's source is in `sources`. */
  layers: LayerConfig[];
  /** The widgets' filters and panels, as the link has them (src/features/widgets/widgetsUrl.ts). */
  filters?: string;
  widgets?: string;
}

/** Source types a link may carry: remote tables and tilesets, read with the user's token. */
const LINKABLE_SOURCE_TYPES = [
  'table',
  'tileset',
  'quadbin-table',
  'h3-table',
  'h3-tileset',
] as const satisfies readonly SourceDescriptor['type'][];
const LINKABLE_LAYER_KINDS = [
  'vector',
  'quadbin',
  'h3',
  'cluster',
] as const satisfies readonly LayerConfig['kind'][];

const MAX_LINK_LAYERS = 50;
/** Longer `layers=` values are not even decoded (50 rich layers take about 40 kB). */
const MAX_LAYERS_PARAM = 100_000;
const MAX_HASH = MAX_LAYERS_PARAM + 1_000;

// ---------------------------------------------------------------------------------------------
// The schema of a link's layers and sources (valibot, like src/config/configSchema.ts)

export const between = (min: number, max: number) => {
  const error = `must be between ${min} and ${max}`;
  return v.pipe(v.number(), v.finite(error), v.minValue(min, error), v.maxValue(max, error));
};
export const text = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.minLength(min, `must have at least ${min} characters`),
    v.maxLength(max, `must have at most ${max} characters`),
    // eslint-disable-next-line no-control-regex -- control characters are what it rejects
    v.regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
  );
export const list = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item), v.maxLength(max, `must have at most ${max} items`));
const byte = v.pipe(
  v.number(),
  v.integer('must be an integer'),
  v.minValue(0, 'must be between 0 and 255'),
  v.maxValue(255, 'must be between 0 and 255'),
);
const color = v.strictTuple([byte, byte, byte, byte], 'must be [r, g, b, a]');

/** A column as the API sees it (sent in requests): letters, digits, `_` and `$`. */
export const apiColumn = v.pipe(
  v.string(),
  v.maxLength(128, 'must have at most 128 characters'),
  v.regex(/^[\p{L}\p{N}_$]+$/u, 'must be a plain column name'),
);
/** A column read in the browser only (feature properties): any short text. */
const column = text(1, 128);

/**
 * An aggregation the Maps API runs for spatial-index tables, as the app writes it:
 * `SUM("pop") AS "pop", COUNT(*) AS count`. Nothing else, since it reaches SQL.
 */
const identifier = '(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\u0000-\\u001f]|"")+")';
const aggregate = `(?:SUM|AVG|MIN|MAX|COUNT|ANY_VALUE)\\((?:\\*|${identifier})\\) AS ${identifier}`;
const aggregationPattern = new RegExp(`^${aggregate}(?:, ?${aggregate})*$`, 'i');

const sourceSchema = v.strictObject({
  id: text(1, 200),
  type: v.picklist(
    LINKABLE_SOURCE_TYPES,
    `must be one of ${LINKABLE_SOURCE_TYPES.join(', ')} (query and GeoJSON sources are never linked)`,
  ),
  connection: v.pipe(
    v.string(),
    v.maxLength(128, 'must have at most 128 characters'),
    v.regex(/^[\p{L}\p{N}_-]+$/u, 'must be a plain connection name'),
  ),
  /** A table or tileset name (`project.dataset.table`), never SQL. */
  data: v.pipe(
    v.string(),
    v.maxLength(512, 'must have at most 512 characters'),
    v.regex(/^[\p{L}\p{N}_$-]+(?:\.[\p{L}\p{N}_$-]+)*$/u, 'must be a table or tileset name'),
  ),
  columns: v.optional(list(apiColumn, 200)),
  spatialDataColumn: v.optional(apiColumn),
  aggregationExp: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(2000, 'must have at most 2000 characters'),
      v.regex(aggregationPattern, 'must be a list of SUM/AVG/MIN/MAX/COUNT(column) AS name'),
    ),
  ),
  aggregationResLevel: v.optional(v.pipe(between(0, 16), v.integer('must be an integer'))),
});

const styleSchema = v.strictObject({
  fillColor: v.optional(color),
  lineColor: v.optional(color),
  lineWidth: v.optional(between(0, 100)),
  pointRadius: v.optional(between(0, 100)),
  opacity: v.optional(between(0, 1)),
  heatmap: v.optional(v.boolean('must be true or false')),
  colorBy: v.optional(
    v.strictObject({
      column,
      domain: list(text(0, 200), 100),
      colors: list(color, 100),
    }),
  ),
  colorBins: v.optional(
    v.strictObject({
      column,
      thresholds: list(between(-1e15, 1e15), 100),
      colors: list(color, 101),
    }),
  ),
});

const layerSchema = v.strictObject({
  id: text(1, 200),
  sourceId: text(1, 200),
  kind: v.picklist(LINKABLE_LAYER_KINDS, `must be one of ${LINKABLE_LAYER_KINDS.join(', ')}`),
  title: text(0, 200),
  visible: v.boolean('must be true or false'),
  style: styleSchema,
  idColumn: v.optional(column),
});

/** The JSON inside `layers=`; its entries are checked one by one. */
const payloadSchema = v.object({ sources: v.array(v.unknown()), layers: v.array(v.unknown()) });

/**
 * Compile-time checks: what the schemas accept is what the store holds, field for field. A new
 * field of a layer, its style or a source fails here until it is added to the link (schema and
 * `linked*` below) or deliberately left out (as credentials and query parameters are).
 */
type Assignable<A, B> = [A] extends [B] ? true : false;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type Out<S extends v.GenericSchema> = v.InferOutput<S>;
/** @public Exported so that the compiler evaluates them. */
export type LinkChecks = [
  Assert<Assignable<Out<typeof sourceSchema>, SourceDescriptor>>,
  Assert<Assignable<Out<typeof layerSchema>, LayerConfig>>,
  Assert<Assignable<Out<typeof styleSchema>, LayerStyle>>,
  Assert<
    Same<keyof SourceDescriptor, keyof Out<typeof sourceSchema> | 'credentials' | 'queryParameters'>
  >,
  Assert<Same<keyof LayerConfig, keyof Out<typeof layerSchema>>>,
  Assert<Same<keyof LayerStyle, keyof Out<typeof styleSchema>>>,
];

const basemapSchema = configSchema.entries.basemap;

// ---------------------------------------------------------------------------------------------
// Encoding

/** base64url of the UTF-8 bytes, without padding. */
export function toBase64Url(textValue: string): string {
  const bytes = new TextEncoder().encode(textValue);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The text of a base64url value; throws on anything that is not. */
export function fromBase64Url(value: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) throw new Error('not base64url');
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** A number with at most `decimals` decimals, without trailing zeros or exponent. */
function fixed(value: number, decimals: number): string {
  let out = value.toFixed(decimals);
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return out === '-0' ? '0' : out;
}

/** Decimals that place the centre within about a pixel at `zoom` (512 px tiles). */
const degreeDecimals = (zoom: number) =>
  Math.min(7, Math.max(1, Math.ceil(Math.log10(512 / 360) + zoom * Math.log10(2))));

/** An angle in (-180, 180]. */
const wrap180 = (degrees: number) => {
  const wrapped = (((degrees % 360) + 540) % 360) - 180;
  return wrapped === -180 ? 180 : wrapped;
};

function encodeView(view: ViewState): string {
  const zoom = Math.min(24, Math.max(0, view.zoom));
  const decimals = degreeDecimals(zoom);
  const latitude = Math.min(85.05, Math.max(-85.05, view.latitude));
  let lat = fixed(latitude, decimals);
  // Rounding must not leave the range the link accepts.
  if (Math.abs(Number(lat)) > 85.05) lat = fixed(Math.sign(latitude) * 85.05, 2);
  const parts = [fixed(zoom, 2), lat, fixed(wrap180(view.longitude), decimals)];
  const bearing = fixed(Number.isFinite(view.bearing) ? wrap180(view.bearing) : 0, 1);
  const pitch = fixed(Math.min(85, Math.max(0, view.pitch)), 1);
  if (bearing !== '0' || pitch !== '0') parts.push(bearing, pitch);
  return parts.join('/');
}

/** Only the fields a link carries, named one by one: credentials can never slip in. */
function linkedSource(source: SourceDescriptor): SourceDescriptor {
  const { id, type, connection, data, columns, spatialDataColumn } = source;
  const { aggregationExp, aggregationResLevel } = source;
  return {
    id,
    type,
    connection,
    data,
    ...(columns ? { columns: [...columns] } : {}),
    ...(spatialDataColumn !== undefined ? { spatialDataColumn } : {}),
    ...(aggregationExp !== undefined ? { aggregationExp } : {}),
    ...(aggregationResLevel !== undefined ? { aggregationResLevel } : {}),
  };
}

function linkedStyle(style: LayerStyle): LayerStyle {
  const out: LayerStyle = {};
  if (style.fillColor) out.fillColor = style.fillColor;
  if (style.lineColor) out.lineColor = style.lineColor;
  if (style.lineWidth !== undefined) out.lineWidth = style.lineWidth;
  if (style.pointRadius !== undefined) out.pointRadius = style.pointRadius;
  if (style.opacity !== undefined) out.opacity = style.opacity;
  if (style.colorBy) out.colorBy = style.colorBy;
  if (style.colorBins) out.colorBins = style.colorBins;
  if (style.heatmap) out.heatmap = true;
  return out;
}

function linkedLayer(layer: LayerConfig): LayerConfig {
  const { id, sourceId, kind, title, visible, style, idColumn } = layer;
  return {
    id,
    sourceId,
    kind,
    title,
    visible,
    style: linkedStyle(style),
    ...(idColumn !== undefined ? { idColumn } : {}),
  };
}

/** Whether a source may go into a link: a remote table or tileset read with the user's token. */
function isLinkable(source: SourceDescriptor | undefined): source is SourceDescriptor {
  return (
    source !== undefined &&
    !source.credentials &&
    (LINKABLE_SOURCE_TYPES as readonly string[]).includes(source.type)
  );
}

/** The layers (and their sources) a link carries: those a link made from them would restore. */
function linkLayers(state: MapUrlState): { sources: SourceDescriptor[]; layers: LayerConfig[] } {
  const sources = new Map<string, SourceDescriptor>();
  const layers: LayerConfig[] = [];
  for (const id of state.map.layers.ids) {
    if (layers.length >= MAX_LINK_LAYERS) break;
    const layer = state.map.layers.entities[id];
    const source = layer ? state.sources.entities[layer.sourceId] : undefined;
    if (!layer || !isLinkable(source)) continue;
    const linked = linkedLayer(layer);
    const linkedSrc = sources.get(source.id) ?? linkedSource(source);
    if (!v.is(layerSchema, linked) || !v.is(sourceSchema, linkedSrc)) continue;
    sources.set(source.id, linkedSrc);
    layers.push(linked);
  }
  return { sources: [...sources.values()], layers };
}

/**
 * The hash (with its `#`) that describes the map: view, basemap (the one chosen, not the
 * offline fallback shown while it fails) and the layers of remote tables and tilesets.
 */
export function encodeMapHash(state: MapUrlState): string {
  const basemap = state.map.basemapNotice?.failed ?? state.map.basemap;
  let hash = `#map=${encodeView(state.map.viewState)}&basemap=${basemap}`;
  const { sources, layers } = linkLayers(state);
  if (layers.length > 0) hash += `&layers=${toBase64Url(JSON.stringify({ sources, layers }))}`;
  return hash;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** A short, printable name for something from the link (it may be long or hostile). */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const [first] = issues;
  if (!first) return 'invalid';
  const path = v.getDotPath(first);
  return path ? `${path} ${first.message}` : first.message;
}

const NUMBER = /^-?\d{1,4}(?:\.\d{1,12})?$/;
const viewSchema = v.object({
  zoom: between(0, 24),
  latitude: between(-85.05, 85.05),
  longitude: between(-180, 180),
  bearing: between(-360, 360),
  pitch: between(0, 85),
});

function decodeView(value: string): ViewState | string {
  const parts = value.split('/');
  if ((parts.length !== 3 && parts.length !== 5) || !parts.every((p) => NUMBER.test(p)))
    return 'must be zoom/latitude/longitude[/bearing/pitch]';
  const [zoom, latitude, longitude, bearing = 0, pitch = 0] = parts.map(Number);
  const result = v.safeParse(viewSchema, { zoom, latitude, longitude, bearing, pitch });
  return result.success ? result.output : describeIssues(result.issues);
}

function decodeLayers(value: string, ignored: string[]): Pick<MapLink, 'sources' | 'layers'> {
  const none = { sources: [], layers: [] };
  if (value.length > MAX_LAYERS_PARAM) {
    ignored.push(`layers (longer than ${MAX_LAYERS_PARAM} characters)`);
    return none;
  }
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(value));
  } catch {
    ignored.push('layers (not base64url-encoded JSON)');
    return none;
  }
  const payload = v.safeParse(payloadSchema, json);
  if (!payload.success) {
    ignored.push(`layers (${describeIssues(payload.issues)})`);
    return none;
  }
  const { sources: rawSources, layers: rawLayers } = payload.output;

  const sources = new Map<string, SourceDescriptor>();
  if (rawSources.length > MAX_LINK_LAYERS)
    ignored.push(
      `${rawSources.length - MAX_LINK_LAYERS} sources beyond the first ${MAX_LINK_LAYERS}`,
    );
  rawSources.slice(0, MAX_LINK_LAYERS).forEach((raw, index) => {
    const id = (raw as { id?: unknown } | null)?.id;
    const name = `source ${typeof id === 'string' ? quote(id) : `#${index + 1}`}`;
    if (typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'credentials')) {
      ignored.push(`${name} (links never carry credentials)`);
      return;
    }
    const result = v.safeParse(sourceSchema, raw);
    if (!result.success) ignored.push(`${name} (${describeIssues(result.issues)})`);
    else if (sources.has(result.output.id)) ignored.push(`${name} (a second source with its id)`);
    else sources.set(result.output.id, result.output);
  });

  const layers: LayerConfig[] = [];
  const used = new Set<string>();
  if (rawLayers.length > MAX_LINK_LAYERS)
    ignored.push(
      `${rawLayers.length - MAX_LINK_LAYERS} layers beyond the first ${MAX_LINK_LAYERS}`,
    );
  rawLayers.slice(0, MAX_LINK_LAYERS).forEach((raw, index) => {
    const id = (raw as { id?: unknown } | null)?.id;
    const name = `layer ${typeof id === 'string' ? quote(id) : `#${index + 1}`}`;
    const result = v.safeParse(layerSchema, raw);
    if (!result.success) ignored.push(`${name} (${describeIssues(result.issues)})`);
    else if (!sources.has(result.output.sourceId))
      ignored.push(`${name} (its source ${quote(result.output.sourceId)} is not in the link)`);
    else if (layers.some((layer) => layer.id === result.output.id))
      ignored.push(`${name} (a second layer with its id)`);
    else {
      layers.push(result.output);
      used.add(result.output.sourceId);
    }
  });
  return { sources: [...sources.values()].filter((source) => used.has(source.id)), layers };
}

/**
 * What a hash says about the map. Anything invalid is left out and named in one
 * `console.warn`; the rest still applies. Never throws.
 */
export function decodeMapHash(
  hash: string,
  warn: (message: string) => void = console.warn,
): MapLink {
  const link: MapLink = { sources: [], layers: [] };
  const ignored: string[] = [];
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return link;
  if (body.length > MAX_HASH) {
    warn(`The map link was ignored: it is longer than ${MAX_HASH} characters.`);
    return link;
  }
  const seen = new Set<string>();
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      ignored.push(`${quote(key)} (malformed)`);
      continue;
    }
    if (seen.has(key)) {
      ignored.push(`${quote(key)} (given twice)`);
      continue;
    }
    seen.add(key);
    switch (key) {
      case 'map': {
        const view = decodeView(value);
        if (typeof view === 'string') ignored.push(`map (${view})`);
        else link.viewState = view;
        break;
      }
      case 'basemap': {
        const result = v.safeParse(basemapSchema, value);
        if (result.success) link.basemap = result.output;
        else ignored.push(`basemap ${quote(value)} (${describeIssues(result.issues)})`);
        break;
      }
      case 'layers':
        Object.assign(link, decodeLayers(value, ignored));
        break;
      // Read by the widgets' own decoder, loaded only for links that have them.
      case 'filters':
      case 'widgets':
        link[key] = value;
        break;
      default:
        ignored.push(`${quote(key)} (unknown)`);
    }
  }
  if (ignored.length > 0) {
    const shown = ignored.slice(0, 20);
    const more = ignored.length > shown.length ? `; and ${ignored.length - shown.length} more` : '';
    warn(`Parts of the map link were ignored: ${shown.join('; ')}${more}.`);
  }
  return link;
}

/**
 * The map and sources state a link gives, on top of `map` (the configuration's): its view and
 * basemap replace the configured ones and its layers are added, in order, with their sources.
 */
function applyMapLink(
  map: MapState,
  link: MapLink,
): { map: MapState; sources: EntityState<SourceDescriptor, string> } {
  let next: MapState = {
    ...map,
    viewState: link.viewState ? { ...link.viewState } : map.viewState,
    basemap: link.basemap ?? map.basemap,
  };
  next = link.layers.reduce((state, layer) => mapSlice.reducer(state, layerAdded(layer)), next);
  const sources = link.sources.reduce(
    (state, source) => sourcesSlice.reducer(state, sourceAdded(source)),
    sourcesSlice.getInitialState(),
  );
  return { map: next, sources };
}

// ---------------------------------------------------------------------------------------------
// The whole link, with the widgets' part (src/features/widgets/widgetsUrl.ts, a chunk of its
// own, loaded only when there are filters or panels to write or to read)

type LinkState = MapUrlState & { widgets: WidgetsState };
const hasWidgets = ({ widgets }: LinkState) =>
  Object.keys(widgets.filters).length > 0 || Object.keys(widgets.panels).length > 0;

/** A function that writes the link of a state like `states` (widgets' code loaded if needed). */
export async function linkEncoder(states: LinkState[]): Promise<(state: LinkState) => string> {
  const widgetsUrl = states.some(hasWidgets) ? await import('../widgets/widgetsUrl') : null;
  return (state) => encodeMapHash(state) + (widgetsUrl?.encodeWidgetsHash(state.widgets) ?? '');
}

/** What a hash gives on top of the configuration's `map`: map, sources and widgets. */
export async function stateFromLink(map: MapState, hash: string) {
  const link = decodeMapHash(hash);
  const state = applyMapLink(map, link);
  if (link.filters === undefined && link.widgets === undefined) return state;
  const { decodeWidgetsLink } = await import('../widgets/widgetsUrl');
  return { ...state, widgets: decodeWidgetsLink(link) };
}
