import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import type { Fault } from '../../../emulator/http/faults';
import { filterAdded } from '../../../src/features/widgets/widgetsSlice';
import { testEmulator } from '../../mocks/emulator';
import { recordRequests } from '../../utils/requestLog';
import { allSettled, storesWidgetsHarness, WAIT, widget } from '../../utils/storesWidgets';

const renderWidgets = storesWidgetsHarness();

/** Breaks the emulator (emulator/http/faults.ts) until `clear`. */
async function inject(...faults: Fault[]) {
  const { emulator } = await testEmulator();
  emulator.faults?.set(faults);
  return { clear: () => emulator.faults?.clear() };
}

const storesFigure = () => within(widget('Stores')).queryByRole('paragraph')?.textContent ?? '';
const PHARMACY = { store_type: { in: { values: ['Pharmacy'], owner: 'stores-type' } } } as const;

describe('widgets when the platform fails', { timeout: 60_000 }, () => {
  it('a dropped connection is tried again by itself: the user sees the answer, not the failure', async () => {
    const requests = recordRequests();
    const faults = await inject({ route: '/v3/sql', kind: 'reset', times: 2 });
    renderWidgets();
    await allSettled();
    expect(screen.queryAllByRole('alert')).toEqual([]);
    expect(storesFigure()).toMatch(/20,000/);
    // The two failed asks and the ones that answered.
    expect(requests.count('/model/')).toBeGreaterThanOrEqual(2 + 8);
    faults.clear();
  });

  it('while it stays down: each widget says what failed; once it is back, Retry recovers, filters kept', async () => {
    const faults = await inject({ route: '/v3/sql', kind: 'reset' });
    const { store, user } = renderWidgets();
    act(() => {
      store.dispatch(
        filterAdded({
          sourceId: 'stores',
          column: 'store_type',
          type: 'in',
          values: ['Pharmacy'],
          owner: 'stores-type',
        }),
      );
    });
    const alert = await within(widget('Stores')).findByRole('alert', {}, WAIT);
    expect(alert.textContent).toMatch(/Could not load stores: .+/);
    expect(alert.textContent).not.toMatch(/undefined|\[object/);
    // Nothing the user had is lost.
    expect(store.getState().widgets.filters.stores).toEqual(PHARMACY);

    faults.clear();
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(storesFigure()).toMatch(/^\d[\d,]*$/), WAIT);
    expect(Number(storesFigure().replace(/,/g, ''))).toBeLessThan(20_000);
    expect(store.getState().widgets.filters.stores).toEqual(PHARMACY);
  });

  it('a garbled answer is an error with Retry (not retried by itself: the server did answer)', async () => {
    const faults = await inject({ route: '/v3/sql', kind: 'garbled' });
    const { user } = renderWidgets();
    const alert = await within(widget('Stores')).findByRole('alert', {}, WAIT);
    expect(alert.textContent).toMatch(/Could not load stores/);
    faults.clear();
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(storesFigure()).toMatch(/20,000/), WAIT);
  });
});
