import { describe, expect, it } from 'vitest';
import { makeStore } from '../../../src/store/store';
import {
  addSource,
  removeSource,
  selectAllSources,
  selectSourceById,
  updateSource,
  type SourceDescriptor,
} from '../../../src/features/sources/sourcesSlice';

const stores: SourceDescriptor = {
  id: 'stores',
  type: 'table',
  connection: 'carto_dw',
  data: 'demo.retail_stores',
};

describe('sources slice', () => {
  it('adds, updates and removes descriptors by id', () => {
    const store = makeStore();
    store.dispatch(addSource(stores));
    store.dispatch(
      addSource({ id: 'q', type: 'query', connection: 'carto_dw', data: 'SELECT 1 AS x' }),
    );
    expect(selectAllSources(store.getState()).map((s) => s.id)).toEqual(['stores', 'q']);

    store.dispatch(updateSource({ id: 'stores', columns: ['store_type', 'revenue'] }));
    expect(selectSourceById(store.getState(), 'stores')).toEqual({
      ...stores,
      columns: ['store_type', 'revenue'],
    });

    store.dispatch(removeSource('q'));
    expect(selectAllSources(store.getState()).map((s) => s.id)).toEqual(['stores']);
  });

  it('adding a source with an existing id replaces it', () => {
    const store = makeStore();
    store.dispatch(addSource(stores));
    store.dispatch(addSource({ ...stores, data: 'demo.other' }));
    expect(selectAllSources(store.getState())).toHaveLength(1);
    expect(selectSourceById(store.getState(), 'stores')?.data).toBe('demo.other');
  });

  it('ignores updates and removals of unknown ids', () => {
    const store = makeStore();
    store.dispatch(addSource(stores));
    const before = store.getState().sources;
    store.dispatch(updateSource({ id: 'nope', data: 'x' }));
    store.dispatch(removeSource('nope'));
    expect(store.getState().sources).toEqual(before);
  });
});
