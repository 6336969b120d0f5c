type Position = number[];
export type PolygonCoordinates = Position[][];

const orientation = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) =>
  Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));

const onSegment = (ax: number, ay: number, bx: number, by: number, px: number, py: number) =>
  Math.min(ax, bx) <= px &&
  px <= Math.max(ax, bx) &&
  Math.min(ay, by) <= py &&
  py <= Math.max(ay, by);

/** Whether segments a–b and c–d intersect (touching included). */
function segmentsMeet(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) ||
    (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) ||
    (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by))
  );
}

/** Entries (edge × band) an index may hold: bands shrink until the edges fit. */
const MAX_INDEX_ENTRIES = 2_000_000;

/**
 * Ray casting for points against (Multi)Polygon rings (holes included by parity), and crossing
 * tests for segments, with the edges sorted into horizontal bands: a test reads only the edges
 * that span its latitudes, not all of them (a large polygon against many rows stays fast).
 */
export class PolygonIndex {
  private readonly x1: Float64Array;
  private readonly y1: Float64Array;
  private readonly x2: Float64Array;
  private readonly y2: Float64Array;
  private readonly ymin: number;
  private readonly height: number;
  private readonly bands: number;
  /** CSR: the edges of band b are entries[offsets[b] .. offsets[b + 1]). */
  private readonly offsets: Int32Array;
  private readonly entries: Int32Array;

  constructor(polygons: PolygonCoordinates[]) {
    const edges: number[] = [];
    for (const rings of polygons) {
      for (const ring of rings) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi = 0, yi = 0] = ring[i] ?? [];
          const [xj = 0, yj = 0] = ring[j] ?? [];
          // Horizontal edges too: ray casting skips them, crossing tests need them.
          edges.push(xi, yi, xj, yj);
        }
      }
    }
    const n = edges.length / 4;
    this.x1 = new Float64Array(n);
    this.y1 = new Float64Array(n);
    this.x2 = new Float64Array(n);
    this.y2 = new Float64Array(n);
    let ymin = Infinity;
    let ymax = -Infinity;
    for (let e = 0; e < n; e++) {
      this.x1[e] = edges[4 * e] ?? 0;
      this.y1[e] = edges[4 * e + 1] ?? 0;
      this.x2[e] = edges[4 * e + 2] ?? 0;
      this.y2[e] = edges[4 * e + 3] ?? 0;
      ymin = Math.min(ymin, this.y1[e] ?? 0, this.y2[e] ?? 0);
      ymax = Math.max(ymax, this.y1[e] ?? 0, this.y2[e] ?? 0);
    }
    this.ymin = n > 0 ? ymin : 0;
    const span = n > 0 ? ymax - ymin : 0;
    let bands = Math.max(1, Math.min(1024, Math.ceil(n / 4)));
    const bandOf = (y: number, count: number) =>
      span > 0 ? Math.min(count - 1, Math.max(0, Math.floor(((y - this.ymin) / span) * count))) : 0;
    const total = (count: number) => {
      let sum = 0;
      for (let e = 0; e < n; e++) {
        const a = bandOf(this.y1[e] ?? 0, count);
        const b = bandOf(this.y2[e] ?? 0, count);
        sum += Math.abs(b - a) + 1;
      }
      return sum;
    };
    let entries = total(bands);
    while (entries > MAX_INDEX_ENTRIES && bands > 1) {
      bands = Math.max(1, Math.floor(bands / 2));
      entries = total(bands);
    }
    this.bands = bands;
    this.height = span;
    // Counting sort into bands: counts, then offsets, then each edge at its band's next slot.
    const offsets = new Int32Array(bands + 1);
    const eachBand = (visit: (edge: number, band: number) => void) => {
      for (let e = 0; e < n; e++) {
        const a = bandOf(this.y1[e] ?? 0, bands);
        const b = bandOf(this.y2[e] ?? 0, bands);
        for (let k = Math.min(a, b); k <= Math.max(a, b); k++) visit(e, k);
      }
    };
    eachBand((_e, k) => {
      offsets[k + 1] = (offsets[k + 1] ?? 0) + 1;
    });
    for (let k = 0; k < bands; k++) offsets[k + 1] = (offsets[k + 1] ?? 0) + (offsets[k] ?? 0);
    this.offsets = offsets;
    this.entries = new Int32Array(entries);
    const next = offsets.slice(0, bands);
    eachBand((e, k) => {
      const slot = next[k] ?? 0;
      this.entries[slot] = e;
      next[k] = slot + 1;
    });
  }

  contains(x: number, y: number): boolean {
    const band = this.band(y);
    let inside = false;
    const end = this.offsets[band + 1] ?? 0;
    for (let k = this.offsets[band] ?? 0; k < end; k++) {
      const e = this.entries[k] ?? 0;
      const xi = this.x1[e] ?? 0;
      const yi = this.y1[e] ?? 0;
      const xj = this.x2[e] ?? 0;
      const yj = this.y2[e] ?? 0;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  private band(y: number): number {
    return this.height > 0
      ? Math.min(
          this.bands - 1,
          Math.max(0, Math.floor(((y - this.ymin) / this.height) * this.bands)),
        )
      : 0;
  }

  /** Whether segment a–b crosses or touches an edge of the polygons. */
  crosses(ax: number, ay: number, bx: number, by: number): boolean {
    const lo = this.band(Math.min(ay, by));
    const hi = this.band(Math.max(ay, by));
    const end = this.offsets[hi + 1] ?? 0;
    for (let k = this.offsets[lo] ?? 0; k < end; k++) {
      const e = this.entries[k] ?? 0;
      if (
        segmentsMeet(
          ax,
          ay,
          bx,
          by,
          this.x1[e] ?? 0,
          this.y1[e] ?? 0,
          this.x2[e] ?? 0,
          this.y2[e] ?? 0,
        )
      )
        return true;
    }
    return false;
  }
}
