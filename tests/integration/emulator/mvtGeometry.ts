/**
 * Reads a Mapbox Vector Tile down to its raw geometry commands (with `pbf`, per the MVT 2.1
 * spec), so tests can check what the emulator encodes: ring closure, winding, segment lengths
 * and areas in tile units. Decoders such as MVTLoader rewind, close and classify rings
 * themselves, which would hide exactly those faults.
 */
import Pbf from 'pbf';

interface TileRing {
  points: [number, number][];
  /** The ring ended with a ClosePath command. */
  closed: boolean;
}

interface TileFeature {
  /** 1 point, 2 line, 3 polygon. */
  type: number;
  properties: Record<string, string | number | boolean>;
  rings: TileRing[];
}

export interface DecodedTile {
  extent: number;
  features: TileFeature[];
}

interface RawFeature {
  type: number;
  tags: number[];
  geometry: number[];
}

interface RawLayer {
  name: string;
  extent: number;
  keys: string[];
  values: (string | number | boolean)[];
  features: RawFeature[];
}

function readValue(pbf: Pbf): string | number | boolean {
  let value: string | number | boolean = '';
  const end = pbf.readVarint() + pbf.pos;
  while (pbf.pos < end) {
    const tag = pbf.readVarint() >> 3;
    if (tag === 1) value = pbf.readString();
    else if (tag === 2) value = pbf.readFloat();
    else if (tag === 3) value = pbf.readDouble();
    else if (tag === 4) value = pbf.readVarint64();
    else if (tag === 5) value = pbf.readVarint();
    else if (tag === 6) value = pbf.readSVarint();
    else if (tag === 7) value = pbf.readBoolean();
    else pbf.skip(pbf.readVarint());
  }
  return value;
}

function readFeature(tag: number, feature: RawFeature | undefined, pbf: Pbf | undefined): void {
  if (!feature || !pbf) return;
  if (tag === 2) pbf.readPackedVarint(feature.tags);
  else if (tag === 3) feature.type = pbf.readVarint();
  else if (tag === 4) pbf.readPackedVarint(feature.geometry);
}

function readLayer(tag: number, layer: RawLayer | undefined, pbf: Pbf | undefined): void {
  if (!layer || !pbf) return;
  if (tag === 1) layer.name = pbf.readString();
  else if (tag === 2)
    layer.features.push(pbf.readMessage(readFeature, { type: 0, tags: [], geometry: [] }));
  else if (tag === 3) layer.keys.push(pbf.readString());
  else if (tag === 4) layer.values.push(readValue(pbf));
  else if (tag === 5) layer.extent = pbf.readVarint();
}

/** The commands of a feature as rings (a lone MoveTo for each point). */
function decodeGeometry(commands: number[]): TileRing[] {
  const rings: TileRing[] = [];
  let x = 0;
  let y = 0;
  let current: TileRing | undefined;
  for (let i = 0; i < commands.length;) {
    const header = commands[i++] ?? 0;
    const id = header & 0x7;
    const count = header >> 3;
    if (id === 7) {
      if (current) current.closed = true;
      continue;
    }
    for (let n = 0; n < count; n++) {
      const dx = commands[i++] ?? 0;
      const dy = commands[i++] ?? 0;
      x += (dx >> 1) ^ -(dx & 1);
      y += (dy >> 1) ^ -(dy & 1);
      if (id === 1) {
        current = { points: [], closed: false };
        rings.push(current);
      }
      current?.points.push([x, y]);
    }
  }
  return rings;
}

/** The `default` layer of an MVT. */
export function decodeTile(buffer: ArrayBuffer | Uint8Array): DecodedTile {
  const layers: RawLayer[] = [];
  new Pbf(buffer).readFields((tag, _result, pbf) => {
    if (tag === 3 && pbf)
      layers.push(
        pbf.readMessage(readLayer, { name: '', extent: 4096, keys: [], values: [], features: [] }),
      );
  });
  const layer = layers.find((l) => l.name === 'default');
  if (!layer) return { extent: 4096, features: [] };
  return {
    extent: layer.extent,
    features: layer.features.map((f) => {
      const properties: Record<string, string | number | boolean> = {};
      for (let i = 0; i + 1 < f.tags.length; i += 2) {
        const key = layer.keys[f.tags[i] ?? -1];
        const value = layer.values[f.tags[i + 1] ?? -1];
        if (key !== undefined && value !== undefined) properties[key] = value;
      }
      return { type: f.type, properties, rings: decodeGeometry(f.geometry) };
    }),
  };
}

/**
 * Surveyor's formula as the MVT spec states it: positive for a clockwise ring in tile
 * coordinates (y down), which is what an exterior ring must be.
 */
export function signedArea(points: [number, number][]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

/** A ring cut to the box [lo, hi]² (Sutherland–Hodgman; the box is convex). */
export function clipToSquare(
  points: [number, number][],
  lo: number,
  hi: number,
): [number, number][] {
  const edges: [axis: 0 | 1, value: number, keepAbove: boolean][] = [
    [0, lo, true],
    [0, hi, false],
    [1, lo, true],
    [1, hi, false],
  ];
  let ring = points;
  for (const [axis, value, keepAbove] of edges) {
    const inside = (p: [number, number]) => (keepAbove ? p[axis] >= value : p[axis] <= value);
    const out: [number, number][] = [];
    for (let i = 0; i < ring.length; i++) {
      const current = ring[i]!;
      const previous = ring[(i + ring.length - 1) % ring.length]!;
      if (inside(current) !== inside(previous)) {
        const t = (value - previous[axis]) / (current[axis] - previous[axis]);
        const cut: [number, number] = [
          previous[0] + t * (current[0] - previous[0]),
          previous[1] + t * (current[1] - previous[1]),
        ];
        cut[axis] = value;
        out.push(cut);
      }
      if (inside(current)) out.push(current);
    }
    ring = out;
  }
  return ring;
}
