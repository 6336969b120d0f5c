import { describe, expect, it } from 'vitest';
import { makeStore } from '../../../src/store/store';
import { userDataCleared } from '../../../src/features/oauth/oauthSlice';
import {
  featureSelected,
  layerAdded,
  mapClicked,
  viewStateChanged,
} from '../../../src/features/map/mapSlice';
import { sourceAdded } from '../../../src/features/sources/sourcesSlice';
import { filterAdded } from '../../../src/features/widgets/widgetsSlice';

describe('userDataCleared (a logout here or in another tab)', () => {
  it('drops the user’s layers, sources, selection and filters; keeps the view and public sources', () => {
    const store = makeStore();
    const view = { longitude: 2, latitude: 41, zoom: 9, pitch: 0, bearing: 0 };
    store.dispatch(viewStateChanged(view));
    store.dispatch(sourceAdded({ id: 'mine', type: 'table', connection: 'c', data: 'a.b' }));
    store.dispatch(
      sourceAdded({
        id: 'public',
        type: 'table',
        connection: 'c',
        data: 'a.c',
        credentials: { accessToken: 'public-token', apiBaseUrl: 'https://x.test' },
      }),
    );
    store.dispatch(
      layerAdded({
        id: 'l',
        sourceId: 'mine',
        kind: 'vector',
        title: 'l',
        visible: true,
        style: {},
      }),
    );
    store.dispatch(featureSelected({ layerId: 'l', properties: { a: 1 } }));
    store.dispatch(mapClicked({ longitude: 1, latitude: 2 }));
    store.dispatch(filterAdded({ sourceId: 'mine', column: 'a', type: 'in', values: [1] }));

    store.dispatch(userDataCleared());

    const state = store.getState();
    expect(state.map.layers.ids).toEqual([]);
    expect(state.map.selected).toBeNull();
    expect(state.map.lastClick).toBeNull();
    expect(state.sources.ids).toEqual(['public']);
    expect(state.widgets.filters).toEqual({});
    expect(state.map.viewState).toEqual(view);
  });
});
