import { describe, expect, it } from 'vitest';
import { act, waitFor, within } from '@testing-library/react';
import { layerAdded, mapResized, viewStateChanged } from '../../../src/features/map/mapSlice';
import { recordRequests } from '../../utils/requestLog';
import { allSettled, storesWidgetsHarness, WAIT, widget } from '../../utils/storesWidgets';

const renderWidgets = storesWidgetsHarness();

const digits = (text: string | null | undefined) => Number((text ?? '').replace(/[^\d]/g, ''));
/** The store count the Stores widget shows. */
const count = () => digits(within(widget('Stores')).getAllByRole('paragraph')[0]?.textContent);
/** The number in the first line of a widget's caption ("16,469 features from ..."). */
const caption = (name: string) =>
  within(widget(name)).getAllByRole('paragraph').at(-1)?.textContent;

describe('Chart and table widgets', { timeout: 60_000 }, () => {
  it('the histogram counts the stores in view, and its handles filter the others', async () => {
    const requests = recordRequests();
    const { store, user } = renderWidgets();
    act(() => {
      store.dispatch(mapResized({ width: 800, height: 600 }));
      store.dispatch(
        viewStateChanged({ longitude: -74, latitude: 40.7, zoom: 8, pitch: 0, bearing: 0 }),
      );
    });
    await allSettled();
    await waitFor(() => expect(count()).toBeLessThan(20_000), WAIT);
    const inView = count();
    await waitFor(() => expect(caption('Revenue per store')).toMatch(/features from/), WAIT);
    expect(digits(caption('Revenue per store')?.split(' features')[0])).toBe(inView);
    // The histogram asks for the range in view, then the counts over bins of that range.
    const histogram = requests.matching('/model/histogram').at(-1)?.url.searchParams;
    expect(histogram?.get('spatialFilters')).toBeTruthy();
    const params = JSON.parse(histogram?.get('params') ?? '{}') as { ticks?: number[] };
    expect(params.ticks).toHaveLength(9);

    // Drag the "to" handle down a bar: the lower nine bars filter the map and the others.
    const to = within(widget('Revenue per store')).getByRole('slider', {
      name: 'Revenue per store: to',
    });
    to.focus();
    await user.keyboard('{ArrowLeft}');
    const filter = store.getState().widgets.filters.stores?.revenue?.closed_open;
    expect(filter?.owner).toBe('stores-revenue-histogram');
    await waitFor(() => expect(count()).toBeLessThan(inView), WAIT);
    await allSettled();
    expect(caption('Revenue per store')).toMatch(/^Filtering by/);
    await user.click(within(widget('Revenue per store')).getByRole('button', { name: 'Clear' }));
    expect(store.getState().widgets.filters.stores).toBeUndefined();
  });

  it('the time series filters by the steps its handles span; Play steps through time', async () => {
    const { store, user } = renderWidgets();
    await allSettled();
    const from = await within(widget('Stores opened')).findByRole(
      'slider',
      { name: 'Stores opened: from' },
      WAIT,
    );
    from.focus();
    await user.keyboard('{ArrowRight}');
    const time = store.getState().widgets.filters.stores?.opened_at?.time;
    expect(time?.owner).toBe('stores-opened');
    const [start, end] = time?.values[0] ?? [];
    expect(new Date(start ?? 0).toISOString()).toBe('2001-01-01T00:00:00.000Z');
    expect(new Date(end ?? 0).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    await waitFor(() => expect(count()).toBeLessThan(20_000), WAIT);

    await user.click(
      within(widget('Stores opened')).getByRole('button', { name: 'Play Stores opened' }),
    );
    await waitFor(() => {
      const played = store.getState().widgets.filters.stores?.opened_at?.time?.values[0];
      expect(new Date(played?.[0] ?? 0).getUTCFullYear()).toBeGreaterThan(2001);
    }, WAIT);
    await user.click(
      within(widget('Stores opened')).getByRole('button', { name: 'Pause Stores opened' }),
    );
    const paused = store.getState().widgets.filters.stores?.opened_at?.time?.values[0];
    // One year at a time.
    expect(
      new Date(paused?.[1] ?? 0).getUTCFullYear() - new Date(paused?.[0] ?? 0).getUTCFullYear(),
    ).toBe(1);
  });

  it('the table pages and sorts on the server; a row selects its store on the map', async () => {
    const requests = recordRequests();
    const { store, user } = renderWidgets();
    act(() => {
      store.dispatch(
        layerAdded({
          id: 'stores-layer',
          sourceId: 'stores',
          kind: 'vector',
          title: 'Retail stores',
          visible: true,
          idColumn: 'cartodb_id',
          style: {},
        }),
      );
    });
    await allSettled();
    const table = within(widget('Stores in view'));
    await user.click(table.getByRole('button', { name: 'revenue' }));
    await allSettled();
    const sorted = requests.matching('/model/table').at(-1)?.url.searchParams;
    expect(JSON.parse(sorted?.get('params') ?? '{}')).toMatchObject({
      sortBy: 'revenue',
      sortDirection: 'asc',
      limit: 5,
      offset: 0,
    });
    const revenues = table
      .getAllByRole('row')
      .slice(1)
      .map((row) => digits(within(row).getAllByRole('cell').at(-1)?.textContent));
    expect(revenues).toEqual([...revenues].sort((a, b) => a - b));
    await user.click(table.getByRole('button', { name: 'Go to next page' }));
    await waitFor(() => expect(table.getByText(/^6–10 of 20,000/)).toBeTruthy(), WAIT);
    // The second page's rows are in (a row replaced while it is clicked would take no click).
    await allSettled();

    const row = table.getAllByRole('row')[1];
    if (!row) throw new Error('no row');
    await user.click(row);
    await waitFor(() => expect(store.getState().map.selected?.layerId).toBe('stores-layer'));
    const selected = store.getState().map.selected;
    expect(typeof selected?.properties.cartodb_id).toBe('number');
    expect(selected?.position).toHaveLength(2);
    // The map moved to the store.
    expect(store.getState().map.viewState.zoom).toBeGreaterThan(10);
  });

  it('the scatterplot plots the stores in view', async () => {
    renderWidgets();
    await allSettled();
    await waitFor(() => expect(caption('Size and revenue')).toMatch(/\d+ features in view/), WAIT);
  });

  it('without a scope to read the data, the panel says which one and offers to ask for it', async () => {
    const requests = recordRequests();
    renderWidgets(['read:current_user']);
    expect(
      await within(widget('Store widgets')).findByRole('button', {
        name: 'Allow it and log in again',
      }),
    ).toBeTruthy();
    expect(widget('Store widgets').textContent).toMatch(/permission you have not given/);
    expect(requests.count('/model/')).toBe(0);
  });
});
