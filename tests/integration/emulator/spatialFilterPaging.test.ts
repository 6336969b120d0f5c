/**
 * A widget's spatial filter over more candidate rows than one result may hold (the database's
 * row limit, 100,000 by default, 10 here): the exact test reads them a page at a time, and a
 * view across the antimeridian (two rectangles) needs no exact test at all. Both were a 413.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { Database } from '../../../emulator/data/database';
import type { SampleTable } from '../../../emulator/data/sampleData';
import { bearerRequest, clientToken, makeTestEmulator } from '../../utils/emulatorHarness';

const POINTS: [number, number][] = Array.from({ length: 400 }, (_, i) => [
  ((i * 37) % 360) - 180 + 0.5,
  ((i * 53) % 160) - 80 + 0.5,
]);

const PLACES: SampleTable = {
  schema: 'demo',
  name: 'dots',
  description: 'Points all over the world',
  spatial: 'geo',
  columns: [{ name: 'n', type: 'BIGINT' }],
  rows: POINTS.map(([x, y], i) => ({
    values: [i],
    geometry: { type: 'Point', coordinates: [x, y] },
  })),
};

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  ({ emulator } = await makeTestEmulator(undefined, {
    data: await Database.create({ sample: false, extraTables: [PLACES], maxRows: 10 }),
  }));
  token = await clientToken(emulator);
}, 30_000);

async function count(geometry: unknown): Promise<number> {
  const response = await emulator.fetch(
    bearerRequest(
      '/v3/sql/carto_dw/model/formula',
      token,
      JSON.stringify({
        type: 'table',
        source: 'demo.dots',
        params: { operation: 'count', column: '*' },
        spatialFilters: { geom: geometry },
      }),
    ),
  );
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return (JSON.parse(text) as { rows: { value: number }[] }).rows[0]?.value ?? NaN;
}

/** The triangle (0,0) (100,0) (0,60), as Polygon coordinates. */
const TRIANGLE = [
  [
    [0, 0],
    [100, 0],
    [0, 60],
    [0, 0],
  ],
];
/** Points strictly inside the triangle: x/100 + y/60 < 1. */
const inTriangle = POINTS.filter(([x, y]) => x > 0 && y > 0 && x / 100 + y / 60 < 1).length;

describe('spatial filters over many candidate rows', () => {
  it('a triangle: exact for points, read a page at a time', async () => {
    expect(inTriangle).toBeGreaterThan(10);
    expect(await count({ type: 'Polygon', coordinates: TRIANGLE })).toBe(inTriangle);
  });

  it('a view across the antimeridian: two rectangles, no exact test needed', async () => {
    const box = (w: number, e: number) => [
      [
        [w, -40],
        [e, -40],
        [e, 40],
        [w, 40],
        [w, -40],
      ],
    ];
    const expected = POINTS.filter(
      ([x, y]) => (x >= 150 || x <= -160) && y >= -40 && y <= 40,
    ).length;
    expect(expected).toBeGreaterThan(10);
    expect(
      await count({ type: 'MultiPolygon', coordinates: [box(150, 180), box(-180, -160)] }),
    ).toBe(expected);
  });

  it('a rectangle and a triangle together', async () => {
    const rectangle = [
      [
        [-100, -50],
        [-50, -50],
        [-50, 0],
        [-100, 0],
        [-100, -50],
      ],
    ];
    const inRectangle = POINTS.filter(
      ([x, y]) => x >= -100 && x <= -50 && y >= -50 && y <= 0,
    ).length;
    expect(await count({ type: 'MultiPolygon', coordinates: [rectangle, TRIANGLE] })).toBe(
      inRectangle + inTriangle,
    );
  });
});
