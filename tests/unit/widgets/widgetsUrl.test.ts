import { describe, expect, it, vi } from 'vitest';
import { decodeWidgetsLink, encodeWidgetsHash } from '../../../src/features/widgets/widgetsUrl';
import type { WidgetsState } from '../../../src/features/widgets/widgetsSlice';

const b64 = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const state: WidgetsState = {
  filters: {
    stores: {
      store_type: { in: { values: ['Pharmacy', 'Clothing'], owner: 'type' } },
      revenue: { closed_open: { values: [[0, 1e6]], owner: 'hist' } },
      opened_at: { time: { values: [[946684800000, 978307200000]] } },
    },
  },
  panels: {
    places: [
      { id: 'a', type: 'formula', title: 'Places', operation: 'count' },
      { id: 'b', type: 'pie', title: 'By class', column: 'featurecla', operation: 'count' },
      { id: 'c', type: 'table', title: 'Rows', columns: ['name', 'pop_max'] },
    ],
  },
};

describe('the widgets’ part of the map link', () => {
  it('round-trips filters and panels', () => {
    const hash = encodeWidgetsHash(state);
    expect(hash).toMatch(/^&filters=[\w-]+&widgets=[\w-]+$/);
    const params = new URLSearchParams(hash.slice(1));
    const warn = vi.fn();
    const decoded = decodeWidgetsLink(
      { filters: params.get('filters') ?? '', widgets: params.get('widgets') ?? '' },
      warn,
    );
    expect(decoded).toEqual(state);
    expect(warn).not.toHaveBeenCalled();
    expect(encodeWidgetsHash({ filters: {}, panels: { empty: [] } })).toBe('');
  });

  it('drops what is invalid, names it in one warning, and keeps the rest', () => {
    const warn = vi.fn();
    const decoded = decodeWidgetsLink(
      {
        filters: b64({
          ok: { a: { in: { values: [1, 2] } } },
          // SQL where a column name goes, and a filter type that does not exist.
          sql: { 'a; DROP TABLE x': { in: { values: [1] } } },
          odd: { a: { like: { values: ['%'] } } },
        }),
        widgets: b64({
          s: [
            { id: 'w', type: 'range', title: 'R', column: 'size' },
            { id: 'x', type: 'histogram', title: 'H', column: 'size', bins: 1000 },
            { id: 'y', type: 'map', title: 'M' },
            { id: 'w', type: 'range', title: 'again', column: 'size' },
          ],
        }),
      },
      warn,
    );
    expect(decoded.filters).toEqual({ ok: { a: { in: { values: [1, 2] } } } });
    expect(decoded.panels.s?.map((spec) => spec.id)).toEqual(['w']);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toMatch(/filters of "sql", column "a; DROP TABLE x"/);
    expect(message).toMatch(/filters of "odd"/);
    expect(message).toMatch(/bins/);
    expect(message).toMatch(/a second widget "w"/);
  });

  it('ignores values that are not base64url JSON of sources, or too long', () => {
    const warn = vi.fn();
    expect(decodeWidgetsLink({ filters: '%%%', widgets: b64([1, 2]) }, warn)).toEqual({
      filters: {},
      panels: {},
    });
    expect(decodeWidgetsLink({ filters: 'a'.repeat(60_000) }, warn).filters).toEqual({});
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
