import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { mapResized, viewStateChanged } from '../../../src/features/map/mapSlice';
import { cartoApi, sourceRequest } from '../../../src/api/cartoApi';
import { EMULATOR_URL } from '../../mocks/emulator';
import { STORES_SOURCE } from '../../../src/data/sources';
import { server } from '../../mocks/server';
import { recordRequests } from '../../utils/requestLog';
import { allSettled, storesWidgetsHarness, WAIT, widget } from '../../utils/storesWidgets';

const renderWidgets = storesWidgetsHarness();

const number = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

/** The widget's figure once it shows one (not its skeleton) that `check` accepts. */
const figure = async (name: string, check: (value: number) => boolean = () => true) => {
  let value = NaN;
  await waitFor(() => {
    const text = within(widget(name)).getByRole('paragraph').textContent;
    expect(text).toMatch(/\d/);
    value = number(text);
    expect(check(value)).toBe(true);
  }, WAIT);
  return value;
};

describe('Stores widgets (widget models through the data layer)', { timeout: 60_000 }, () => {
  it('show the models’ answers; a category click filters the other widgets, not itself', async () => {
    const requests = recordRequests();
    const { store, user } = renderWidgets();
    await waitFor(() => expect(widget('Stores').textContent).toMatch(/20,000/), WAIT);
    await allSettled();
    expect(widget('Revenue').textContent).toMatch(/\$[\d.,]+[MB]/);
    const types = await within(widget('Store type')).findAllByRole('button', {}, WAIT);
    expect(types.map((b) => b.getAttribute('aria-label')?.split(':')[0])).toEqual(
      expect.arrayContaining(['Supermarket', 'Pharmacy', 'Clothing']),
    );
    const pharmacies = number(
      within(widget('Store type'))
        .getByRole('button', { name: /^Pharmacy:/ })
        .getAttribute('aria-label'),
    );
    expect(pharmacies).toBeGreaterThan(0);
    const modelCalls = requests.count('/model/');

    await user.click(within(widget('Store type')).getByRole('button', { name: /^Pharmacy:/ }));
    expect(store.getState().widgets.filters.stores).toEqual({
      store_type: { in: { values: ['Pharmacy'], owner: 'stores-type' } },
    });
    // The count now counts pharmacies only; the category widget still lists every type.
    await figure('Stores', (n) => n === pharmacies);
    expect(widget('Stores').textContent).toMatch(/▼/);
    expect(
      within(widget('Store type')).getByRole('button', { name: /^Supermarket:/ }),
    ).toBeTruthy();
    expect(
      within(widget('Store type'))
        .getByRole('button', { name: /^Pharmacy:/ })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    // The others asked again with the filter; the category widget (its own filter aside) not.
    await allSettled();
    expect(requests.count('/model/')).toBeGreaterThan(modelCalls);
    const categoryCalls = requests
      .matching('/model/category')
      .filter((r) => (r.url.searchParams.get('filters') ?? '').includes('Pharmacy'));
    expect(categoryCalls).toEqual([]);
    expect(
      requests
        .matching('/model/formula')
        .some((r) => (r.url.searchParams.get('filters') ?? '').includes('Pharmacy')),
    ).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Clear all' }));
    expect(store.getState().widgets.filters.stores).toBeUndefined();
    await waitFor(() => expect(widget('Stores').textContent).toMatch(/20,000/), WAIT);
  });

  it('summarise the view the map settled on (a spatial filter), cached when panning back', async () => {
    const requests = recordRequests();
    const { store } = renderWidgets();
    act(() => {
      store.dispatch(mapResized({ width: 800, height: 600 }));
      store.dispatch(
        viewStateChanged({ longitude: -74, latitude: 40.7, zoom: 9, pitch: 0, bearing: 0 }),
      );
    });
    const inNewYork = await figure('Stores', (n) => n < 20_000);
    expect(inNewYork).toBeGreaterThan(0);
    // Every widget's answer for New York in (a pan before that aborts the rest, uncached).
    await allSettled();
    const spatial = requests.matching('/model/formula').at(-1)?.url.searchParams;
    expect(spatial?.get('spatialFilters') ?? spatial?.get('spatialFilter')).toBeTruthy();

    act(() => {
      store.dispatch(
        viewStateChanged({ longitude: -118.2, latitude: 34, zoom: 9, pitch: 0, bearing: 0 }),
      );
    });
    await figure('Stores', (n) => n !== inNewYork);
    await allSettled();
    // This view's requests (ones still running for an earlier test have no spatial filter).
    const inView = () =>
      requests.matching('/model/').filter((r) => r.url.searchParams.has('spatialFilters')).length;
    const asked = inView();
    act(() => {
      store.dispatch(
        viewStateChanged({ longitude: -74, latitude: 40.7, zoom: 9, pitch: 0, bearing: 0 }),
      );
    });
    await figure('Stores', (n) => n === inNewYork);
    await allSettled();
    // Back where it was: the cached answers, no new requests.
    expect(inView()).toBe(asked);
  });

  it('wait for the map to measure itself: no answer for the whole table shown as "in view"', async () => {
    const requests = recordRequests();
    const { store } = renderWidgets(undefined, { mapSize: null });
    // Loading, and nothing asked: what is in view is not known yet.
    expect(screen.getByLabelText('Loading Stores')).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only what does not depend on the view (the histogram's bins span the whole range).
    const early = requests.matching('/model/');
    for (const { url } of early) {
      expect(url.pathname).toMatch(/\/model\/range$/);
      expect(url.searchParams.has('spatialFilters')).toBe(false);
    }
    expect(widget('Stores').getAttribute('aria-busy')).toBe('true');

    act(() => {
      store.dispatch(
        viewStateChanged({ longitude: -74, latitude: 40.7, zoom: 9, pitch: 0, bearing: 0 }),
      );
      store.dispatch(mapResized({ width: 800, height: 600 }));
    });
    await figure('Stores', (n) => n > 0 && n < 20_000);
    await allSettled();
    const asked = requests.matching('/model/').slice(early.length);
    expect(asked.length).toBeGreaterThan(0);
    for (const { url } of asked) expect(url.searchParams.has('spatialFilters')).toBe(true);
  });

  it('a range filters by a column’s values in view; Clear removes it', async () => {
    const { store, user } = renderWidgets();
    await figure('Stores', (n) => n === 20_000);
    const from = await within(widget('Store size (m²)')).findByRole(
      'slider',
      { name: 'Store size (m²): from' },
      WAIT,
    );
    const lowest = Number(from.getAttribute('aria-valuenow'));
    from.focus();
    await user.keyboard('{PageUp}');
    const filter = store.getState().widgets.filters.stores?.size_m2?.between;
    expect(filter?.owner).toBe('stores-size');
    expect(filter?.values[0]?.[0]).toBeGreaterThan(lowest);
    // Fewer stores are that large; the range itself still spans every size in view.
    await figure('Stores', (n) => n < 20_000);
    expect(Number(from.getAttribute('aria-valuemin'))).toBe(lowest);
    await user.click(within(widget('Store size (m²)')).getByRole('button', { name: 'Clear' }));
    expect(store.getState().widgets.filters.stores).toBeUndefined();
    await figure('Stores', (n) => n === 20_000);
  });

  it('a failed model says what failed; Retry asks again', async () => {
    let failures = 1;
    server.use(
      http.all(`${EMULATOR_URL}/v3/sql/:connection/model/formula`, () => {
        if (failures-- > 0)
          return HttpResponse.json({ error: 'Model API is down' }, { status: 503 });
        return undefined;
      }),
    );
    const { user } = renderWidgets();
    const alert = await within(
      await screen.findByRole('region', { name: 'Stores' }, WAIT),
    ).findByRole('alert', {}, WAIT);
    expect(alert.textContent).toMatch(/Could not load stores: .*Model API is down/);
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(widget('Stores').textContent).toMatch(/20,000/), WAIT);
  });

  it('the layer’s source carries the filters: the Maps API serves filtered tiles', async () => {
    const requests = recordRequests();
    const { store } = renderWidgets();
    const filters = { store_type: { in: { values: ['Pharmacy'], owner: 'stores-type' } } };
    await store
      .dispatch(
        cartoApi.endpoints.createSource.initiate(sourceRequest({ ...STORES_SOURCE, filters })),
      )
      .unwrap();
    const maps = requests.matching('/v3/maps/').map((r) => r.url.href);
    expect(maps.join('\n')).toContain('Pharmacy');
  });
});
