import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { LayersPanel } from '../../../src/features/map/LayersPanel';
import {
  layerAdded,
  layerUpdated,
  selectAllLayers,
  selectViewState,
  type LayerConfig,
} from '../../../src/features/map/mapSlice';
import { addSource } from '../../../src/features/sources/sourcesSlice';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { sampleDataEmulator } from '../../mocks/emulator';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

/** Lazy chunks and the emulator's first answers take a while on a loaded machine. */
const WAIT = { timeout: 10_000 };

let token: string;
sampleDataEmulator((t) => {
  token = t;
});

const layer = (id: string, title: string, sourceId = `source:${id}`): LayerConfig => ({
  id,
  sourceId,
  kind: 'vector',
  title,
  visible: true,
  style: { fillColor: [3, 111, 226, 200], pointRadius: 3 },
});

function renderList() {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({ accessToken: token, expiresAt: null, grantedScopes: [], user: null }),
  );
  store.dispatch(
    addSource({
      id: 'source:places',
      type: 'table',
      connection: 'carto_dw',
      data: 'demo.populated_places',
    }),
  );
  store.dispatch(layerAdded({ ...layer('places', 'Places'), idColumn: 'cartodb_id' }));
  store.dispatch(layerAdded(layer('states', 'States')));
  store.dispatch(layerAdded(layer('stores', 'Stores')));
  return renderWithProviders(<LayersPanel />, { store });
}

const order = (store: ReturnType<typeof renderList>['store']) =>
  selectAllLayers(store.getState()).map((l) => l.id);
const listed = async () =>
  within(await screen.findByRole('list', { name: 'Map layers, top first' }, WAIT))
    .getAllByRole('switch')
    .map((s) => s.getAttribute('aria-label'));

describe('layer list', () => {
  it('lists layers top first; the arrow keys on a handle move a layer in the drawing order', async () => {
    const { store, user } = renderList();
    expect(await listed()).toEqual(['Show Stores', 'Show States', 'Show Places']);

    const handle = screen.getByRole('button', { name: /^Move Places: position 3 of 3/ });
    handle.focus();
    await user.keyboard('{ArrowUp}');
    expect(order(store)).toEqual(['states', 'places', 'stores']);
    expect(await listed()).toEqual(['Show Stores', 'Show Places', 'Show States']);
    // The moved layer's handle keeps the focus, and the move is announced.
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Move Places: position 2/);
    expect(screen.getByText('Places moved to position 2 of 3.')).toBeTruthy();

    await user.keyboard('{Home}');
    expect(order(store)).toEqual(['states', 'stores', 'places']);
    await user.keyboard('{End}');
    expect(order(store)).toEqual(['places', 'states', 'stores']);
    // Already at the bottom: nothing moves.
    await user.keyboard('{ArrowDown}');
    expect(order(store)).toEqual(['places', 'states', 'stores']);
  });

  it('drag and drop puts a layer where it is dropped', async () => {
    const { store } = renderList();
    await listed();
    const row = (id: string) => {
      const element = document.querySelector(`[data-layer-id="${id}"]`);
      if (!element) throw new Error(`no row for ${id}`);
      return element;
    };
    const dataTransfer = { setData: () => undefined, effectAllowed: '', dropEffect: '' };
    fireEvent.dragStart(row('places'), { dataTransfer });
    fireEvent.dragOver(row('stores'), { dataTransfer });
    fireEvent.drop(row('stores'), { dataTransfer });
    expect(order(store)).toEqual(['states', 'stores', 'places']);
  });

  it('a hidden layer’s legend is greyed out and says so', async () => {
    const { store } = renderList();
    await listed();
    store.dispatch(layerUpdated({ id: 'states', visible: false }));
    const legend = await screen.findByRole('list', { name: 'Legend of States (hidden)' });
    expect(legend.style.opacity).toBe('0.4');
    expect(screen.getByRole('list', { name: 'Legend of Stores' }).style.opacity).toBe('1');
  });

  it('renames a layer; an empty name is refused with a reason', async () => {
    const { store, user } = renderList();
    await user.click(await screen.findByRole('button', { name: 'Style and name of States' }));
    const name = await screen.findByRole('textbox', { name: 'Name' }, WAIT);
    await user.clear(name);
    await user.tab();
    expect(screen.getByText('A layer needs a name.')).toBeTruthy();
    expect(store.getState().map.layers.entities.states?.title).toBe('States');
    await user.type(name, 'US states{Enter}');
    expect(store.getState().map.layers.entities.states?.title).toBe('US states');
  });

  it('colours a layer by a numeric column in classes, and by categories, from its TileJSON', async () => {
    const { store, user } = renderList();
    await user.click(await screen.findByRole('button', { name: 'Style and name of Places' }));
    const colourBy = await screen.findByRole('combobox', { name: 'Colour by' }, WAIT);
    await waitFor(() =>
      expect(
        within(colourBy)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toContain('population (classes)'),
    );
    // Ids are not offered.
    expect(within(colourBy).queryByText(/cartodb_id/)).toBeNull();

    await user.selectOptions(colourBy, 'population');
    const bins = store.getState().map.layers.entities.places?.style.colorBins;
    // Populations span orders of magnitude: powers of 10 by default.
    expect(bins?.column).toBe('population');
    expect(bins?.thresholds.every((t) => Math.log10(t) % 1 === 0)).toBe(true);
    expect(bins?.colors).toHaveLength((bins?.thresholds.length ?? 0) + 1);
    expect(screen.getByRole('list', { name: 'Legend of Places' }).textContent).toMatch(/≥/);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Breaks' }), 'equal');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Classes' }), '3');
    expect(store.getState().map.layers.entities.places?.style.colorBins?.thresholds).toHaveLength(
      2,
    );

    await user.selectOptions(screen.getByRole('combobox', { name: 'Colour by' }), 'country');
    const style = store.getState().map.layers.entities.places?.style;
    expect(style?.colorBins).toBeUndefined();
    expect(style?.colorBy?.column).toBe('country');
    expect(style?.colorBy?.domain.length).toBeGreaterThan(1);
    expect(
      within(screen.getByRole('list', { name: 'Legend of Places' })).getByText('Others'),
    ).toBeTruthy();

    // Back to one colour, then size and opacity.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Colour by' }), '');
    expect(store.getState().map.layers.entities.places?.style.colorBy).toBeUndefined();
    await user.click(screen.getByRole('button', { name: '#11a579' }));
    expect(store.getState().map.layers.entities.places?.style.fillColor).toEqual([
      17, 165, 121, 200,
    ]);
  });

  it('zooms to a layer’s features (its TileJSON’s bounds)', async () => {
    const { store, user } = renderList();
    const before = selectViewState(store.getState());
    await user.click(await screen.findByRole('button', { name: 'Zoom to Places' }));
    await waitFor(() => expect(selectViewState(store.getState())).not.toEqual(before), WAIT);
    // A world-wide dataset: the whole world, not a corner of it.
    expect(selectViewState(store.getState()).zoom).toBeLessThan(3);
    // A layer whose source is gone says so instead.
    await user.click(screen.getByRole('button', { name: 'Zoom to States' }));
    expect((await screen.findByRole('alert', {}, WAIT)).textContent).toMatch(
      /not on the map any more/,
    );
  });
});
