import { describe, expect, it } from 'vitest';
import * as carto from '@carto/api-client';
import { makeStore } from '../../../src/store/store';
import {
  filterAdded,
  filterRemoved,
  filtersCleared,
  widgetAdded,
  widgetMoved,
  widgetRemoved,
} from '../../../src/features/widgets/widgetsSlice';
import {
  addFilter,
  getApplicableFilters,
  removeFilter,
  type AddFilterOptions,
  type Filters,
} from '../../../src/features/widgets/filters';

describe('widgets slice: filters', () => {
  it('adds filters per source and column, owned by the widget that set them', () => {
    const store = makeStore();
    store.dispatch(
      filterAdded({
        sourceId: 'stores',
        column: 'store_type',
        type: 'in',
        values: ['Supermarket'],
        owner: 'w-type',
      }),
    );
    store.dispatch(
      filterAdded({
        sourceId: 'stores',
        column: 'revenue',
        type: 'between',
        values: [[1000, 5000]],
        owner: 'w-revenue',
      }),
    );
    expect(store.getState().widgets.filters).toEqual({
      stores: {
        store_type: { in: { values: ['Supermarket'], owner: 'w-type' } },
        revenue: { between: { values: [[1000, 5000]], owner: 'w-revenue' } },
      },
    });
  });

  it('a widget does not filter itself', () => {
    const store = makeStore();
    store.dispatch(
      filterAdded({ sourceId: 's', column: 'a', type: 'in', values: [1], owner: 'w1' }),
    );
    store.dispatch(
      filterAdded({ sourceId: 's', column: 'b', type: 'in', values: [2], owner: 'w2' }),
    );
    const filters = store.getState().widgets.filters.s ?? {};
    expect(Object.keys(getApplicableFilters('w1', filters))).toEqual(['b']);
    expect(Object.keys(getApplicableFilters(undefined, filters))).toEqual(['a', 'b']);
  });

  it('removes only the owner’s filter, then the column, then the source entry', () => {
    const store = makeStore();
    store.dispatch(
      filterAdded({ sourceId: 's', column: 'a', type: 'in', values: [1], owner: 'w1' }),
    );
    store.dispatch(
      filterAdded({ sourceId: 's', column: 'a', type: 'between', values: [[0, 9]], owner: 'w2' }),
    );
    store.dispatch(filterRemoved({ sourceId: 's', column: 'a', owner: 'w1' }));
    expect(store.getState().widgets.filters.s).toEqual({
      a: { between: { values: [[0, 9]], owner: 'w2' } },
    });
    store.dispatch(filterRemoved({ sourceId: 's', column: 'a', owner: 'w2' }));
    expect(store.getState().widgets.filters).toEqual({});
  });

  it('clears all filters of one source', () => {
    const store = makeStore();
    store.dispatch(filterAdded({ sourceId: 's', column: 'a', type: 'in', values: [1] }));
    store.dispatch(filterAdded({ sourceId: 't', column: 'a', type: 'in', values: [1] }));
    store.dispatch(filtersCleared('s'));
    expect(Object.keys(store.getState().widgets.filters)).toEqual(['t']);
  });
});

describe('widgets slice: panels', () => {
  it('adds, moves and removes widgets; a removed widget’s filters go with it', () => {
    const store = makeStore();
    const spec = (id: string) => ({ id, type: 'range', title: id, column: 'c' }) as const;
    store.dispatch(widgetAdded({ sourceId: 's', spec: spec('a') }));
    store.dispatch(widgetAdded({ sourceId: 's', spec: spec('b') }));
    store.dispatch(widgetAdded({ sourceId: 's', spec: spec('c') }));
    store.dispatch(widgetMoved({ sourceId: 's', id: 'c', index: 0 }));
    const ids = () => store.getState().widgets.panels.s?.map((w) => w.id);
    expect(ids()).toEqual(['c', 'a', 'b']);
    store.dispatch(widgetMoved({ sourceId: 's', id: 'c', index: 99 }));
    expect(ids()).toEqual(['a', 'b', 'c']);
    store.dispatch(
      filterAdded({ sourceId: 's', column: 'c', type: 'between', values: [[0, 1]], owner: 'b' }),
    );
    store.dispatch(
      filterAdded({ sourceId: 's', column: 'd', type: 'in', values: [1], owner: 'a' }),
    );
    store.dispatch(widgetRemoved({ sourceId: 's', id: 'b' }));
    expect(ids()).toEqual(['a', 'c']);
    expect(store.getState().widgets.filters.s).toEqual({
      d: { in: { values: [1], owner: 'a' } },
    });
  });
});

describe('filter helpers match @carto/api-client', () => {
  const operations: (
    { op: 'add'; options: AddFilterOptions } | { op: 'remove'; column: string; owner?: string }
  )[] = [
    { op: 'add', options: { column: 'a', type: 'in', values: [1, 2], owner: 'w1' } },
    { op: 'add', options: { column: 'a', type: 'between', values: [[0, 5]], owner: 'w2' } },
    { op: 'add', options: { column: 'b', type: 'time', values: [[0, 1e12]] } },
    { op: 'add', options: { column: 'c', type: 'stringSearch', values: ['x'], owner: 'w1' } },
    { op: 'add', options: { column: 'a', type: 'in', values: [3], owner: 'w1' } },
    { op: 'remove', column: 'a', owner: 'w2' },
    { op: 'remove', column: 'zzz' },
    { op: 'add', options: { column: 'd', type: 'closed_open', values: [[1, 2]], owner: 'w3' } },
    { op: 'remove', column: 'b' },
  ];

  it('produces the same filter sets and applicable filters', () => {
    const ours: Filters = {};
    const theirs: Record<string, carto.Filter> = {};
    for (const step of operations) {
      if (step.op === 'add') {
        addFilter(ours, step.options);
        carto.addFilter(theirs, step.options as unknown as carto.AddFilterOptions);
      } else {
        removeFilter(ours, step);
        carto.removeFilter(theirs, step);
      }
      expect(JSON.parse(JSON.stringify(ours))).toEqual(JSON.parse(JSON.stringify(theirs)));
      for (const owner of [undefined, 'w1', 'w2', 'w3']) {
        expect(getApplicableFilters(owner, ours)).toEqual(
          JSON.parse(JSON.stringify(carto.getApplicableFilters(owner, theirs))),
        );
      }
    }
  });
});
