import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { LonLatBounds, splitAtAntimeridian } from '../../../protocol/antimeridian';

const require = createRequire(import.meta.url);

/** Planar area of a polygon's rings (exterior minus holes), in square degrees. */
function area(geometry: Geometry): number {
  const ring = (r: Position[]) =>
    Math.abs(
      r.reduce((sum, [x1 = 0, y1 = 0], i) => {
        const [x2 = 0, y2 = 0] = r[(i + 1) % r.length] ?? [];
        return sum + x1 * y2 - x2 * y1;
      }, 0) / 2,
    );
  const polygon = (rings: Position[][]) =>
    rings.reduce((sum, r, i) => sum + (i === 0 ? ring(r) : -ring(r)), 0);
  if (geometry.type === 'Polygon') return polygon(geometry.coordinates);
  if (geometry.type === 'MultiPolygon')
    return geometry.coordinates.reduce((sum, p) => sum + polygon(p), 0);
  return 0;
}

function parts(geometry: Geometry): Position[][][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  throw new Error(`not a polygon: ${geometry.type}`);
}

function lonRange(rings: Position[][]): [number, number] {
  const xs = rings.flat().map((p) => p[0] ?? 0);
  return [Math.min(...xs), Math.max(...xs)];
}

describe('splitAtAntimeridian', () => {
  it('cuts a square across ±180 into [170, 180] and [-180, -170], area kept', () => {
    const square: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [170, -10],
          [-170, -10],
          [-170, 10],
          [170, 10],
          [170, -10],
        ],
      ],
    };
    const split = splitAtAntimeridian(square) as MultiPolygon;
    expect(split.type).toBe('MultiPolygon');
    expect(split.coordinates.map(lonRange).sort((a, b) => a[0] - b[0])).toEqual([
      [-180, -170],
      [170, 180],
    ]);
    for (const polygon of split.coordinates) {
      const ring = polygon[0]!;
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
    // 20° × 20°, as the square is on the sphere (not the 340° one a flat reading gives).
    expect(area(split)).toBeCloseTo(400, 9);
  });

  it('keeps a hole with its part, whichever side its first point is on', () => {
    const polygon: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [170, -10],
          [-170, -10],
          [-170, 10],
          [170, 10],
          [170, -10],
        ],
        [
          [-178, -2],
          [-178, 2],
          [-174, 2],
          [-174, -2],
          [-178, -2],
        ],
      ],
    };
    const split = splitAtAntimeridian(polygon) as MultiPolygon;
    const west = split.coordinates.find((p) => lonRange(p)[0] === -180);
    expect(west).toHaveLength(2);
    expect(lonRange([west?.[1] ?? []])).toEqual([-178, -174]);
    expect(area(split)).toBeCloseTo(400 - 16, 9);
  });

  it('closes a ring that goes round the south pole along -90, and drops the pole artefact', () => {
    // world-atlas's Antarctica: a ring at -89.999 round the pole (the cap topojson cut away)
    // and the coast, once round the world eastwards.
    const coast: Position[] = [
      [-180, -70],
      [-90, -75],
      [0, -70],
      [90, -65],
      [179, -70],
      [-180, -70],
    ];
    const cap: Position[] = [
      [-180, -89.999],
      [90, -89.999],
      [0, -89.999],
      [-90, -89.999],
      [-180, -89.999],
    ];
    const split = splitAtAntimeridian({ type: 'Polygon', coordinates: [cap, coast] }) as Polygon;
    expect(split.type).toBe('Polygon');
    expect(split.coordinates).toHaveLength(1);
    const ring = split.coordinates[0]!;
    expect(lonRange([ring])).toEqual([-180, 180]);
    expect(ring.slice(-3)).toEqual([
      [180, -90],
      [-180, -90],
      [-180, -70],
    ]);
    expect(Math.min(...ring.map((p) => p[1] ?? 0))).toBe(-90);
    // The land between the coast and the pole: no edge of it jumps across the map.
    for (let i = 1; i < ring.length; i++) {
      const step = Math.abs((ring[i]?.[0] ?? 0) - (ring[i - 1]?.[0] ?? 0));
      const alongPole = ring[i]?.[1] === -90 && ring[i - 1]?.[1] === -90;
      expect(step <= 180 || alongPole).toBe(true);
    }
  });

  it('closes a cap round the north pole along +90', () => {
    const cap = splitAtAntimeridian({
      type: 'Polygon',
      coordinates: [
        [
          [-180, 80],
          [90, 80],
          [0, 80],
          [-90, 80],
          [-180, 80],
        ],
      ],
    }) as Polygon;
    const ring = cap.coordinates[0]!;
    expect(ring.filter((p) => p[1] === 90)).toHaveLength(2);
    expect(area(cap)).toBeCloseTo(360 * 10, 9);
  });

  it('leaves geometry that does not cross ±180 as it is (the same object)', () => {
    const flat: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [170, 0],
          [180, 0],
          [180, 5],
          [170, 0],
        ],
      ],
    };
    expect(splitAtAntimeridian(flat)).toBe(flat);
    const point: Geometry = { type: 'Point', coordinates: [179, 1] };
    expect(splitAtAntimeridian(point)).toBe(point);
  });

  it('cuts a line where it crosses ±180', () => {
    const line = splitAtAntimeridian({
      type: 'LineString',
      coordinates: [
        [170, 0],
        [-170, 10],
        [-160, 10],
      ],
    });
    expect(line).toEqual({
      type: 'MultiLineString',
      coordinates: [
        [
          [170, 0],
          [180, 5],
        ],
        [
          [-180, 5],
          [-170, 10],
          [-160, 10],
        ],
      ],
    });
  });

  it('splits the world-atlas countries so that every part is within [-180, 180]', () => {
    const topology = JSON.parse(
      readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'),
    ) as Topology;
    const countries = (
      feature(topology, topology.objects.countries as GeometryCollection) as FeatureCollection
    ).features;
    for (const country of countries) {
      const split = splitAtAntimeridian(country.geometry);
      for (const polygon of parts(split)) {
        const [west, east] = lonRange(polygon);
        expect(west).toBeGreaterThanOrEqual(-180);
        expect(east).toBeLessThanOrEqual(180);
        for (const ring of polygon) {
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          for (let i = 1; i < ring.length; i++) {
            const step = Math.abs((ring[i]?.[0] ?? 0) - (ring[i - 1]?.[0] ?? 0));
            // Only along a pole (Antarctica's closing edge) may an edge run across the map.
            if (step > 180) expect(Math.abs(ring[i]?.[1] ?? 0)).toBe(90);
          }
        }
      }
    }
    const byName = (name: string) => {
      const f = countries.find((c) => c.properties?.name === name);
      if (!f) throw new Error(name);
      return splitAtAntimeridian(f.geometry);
    };
    // Russia: Chukotka and Wrangel Island west of -180 come out as parts of their own.
    const russia = parts(byName('Russia'));
    expect(russia.some((p) => lonRange(p)[1] < -169 && lonRange(p)[0] === -180)).toBe(true);
    // Antarctica: one ring closed along the south pole, spanning the whole world.
    const antarctica = parts(byName('Antarctica'));
    const main = antarctica.find((p) => lonRange(p)[1] - lonRange(p)[0] === 360);
    expect(main?.[0]?.some((p) => p[1] === -90)).toBe(true);
  });
});

describe('LonLatBounds', () => {
  const countries = () => {
    const topology = JSON.parse(
      readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'),
    ) as Topology;
    return (
      feature(topology, topology.objects.countries as GeometryCollection) as FeatureCollection
    ).features;
  };

  it('reports west > east for countries across the antimeridian (RFC 7946 §5.2)', () => {
    const all = countries();
    const bounds = (name: string) => {
      const f = all.find((c) => c.properties?.name === name);
      if (!f) throw new Error(name);
      return new LonLatBounds().add(splitAtAntimeridian(f.geometry)).result();
    };
    const fiji = bounds('Fiji');
    expect(fiji?.[0]).toBeCloseTo(174.6, 1);
    expect(fiji?.[2]).toBeCloseTo(-178.25, 1);
    const russia = bounds('Russia');
    expect(russia?.[0]).toBeCloseTo(19.6, 1);
    expect(russia?.[2]).toBeCloseTo(-169.7, 1);
    // The Aleutians (172.4° E) to Maine.
    const usa = bounds('United States of America');
    expect(usa?.[0]).toBeCloseTo(172.5, 1);
    expect(usa?.[2]).toBeCloseTo(-67, 1);
    const kiribati = bounds('Kiribati');
    expect(kiribati?.[0]).toBeGreaterThan(kiribati?.[2] ?? Infinity);
    // Not across it: plain bounds, as before.
    const spain = bounds('Spain');
    expect(spain?.[0]).toBeLessThan(spain?.[2] ?? -Infinity);
    // Antarctica goes all the way round.
    expect(bounds('Antarctica')).toEqual([-180, -90, 180, expect.any(Number)]);
  });

  it('covers the world for the whole world, and stays plain for data that barely crosses', () => {
    const world = new LonLatBounds();
    for (const c of countries()) world.add(splitAtAntimeridian(c.geometry));
    expect(world.result()?.[0]).toBe(-180);
    expect(world.result()?.[2]).toBe(180);
    // Points all round the world with a 20° gap: too little to be worth a west > east box.
    const points = new LonLatBounds();
    for (let lon = -170; lon <= 170; lon += 10)
      points.add({ type: 'Point', coordinates: [lon, 0] });
    points.add({ type: 'Point', coordinates: [25, 0] });
    expect(points.result()).toEqual([-170, 0, 170, 0]);
    expect(new LonLatBounds().result()).toBeNull();
  });

  it('reads unwrapped longitudes where they land on the globe', () => {
    const bounds = new LonLatBounds()
      .add({
        type: 'LineString',
        coordinates: [
          [175, 0],
          [185, 1],
        ],
      })
      .result();
    expect(bounds).toEqual([175, 0, -175, 1]);
  });
});
