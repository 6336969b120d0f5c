import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { DatasetsView } from '../../../src/views/datasets/DatasetsView';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { sampleDataEmulator } from '../../mocks/emulator';
import { recordRequests } from '../../utils/requestLog';
import { makeOAuthTestStore, mapDrawn } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

const WAIT = { timeout: 15_000 };
const SOURCE = 'dataset:carto_dw.demo.populated_places';

let token: string;
sampleDataEmulator((t) => {
  token = t;
});

function renderLoggedIn() {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({
      accessToken: token,
      expiresAt: null,
      grantedScopes: ['read:connections'],
      user: null,
    }),
  );
  mapDrawn(store);
  return renderWithProviders(<DatasetsView />, { store });
}

describe(
  'Datasets view: a widget panel per dataset, built by the user',
  { timeout: 60_000 },
  () => {
    it('starts from the schema; widgets are added on any column, moved and removed', async () => {
      const requests = recordRequests();
      const { store, user } = renderLoggedIn();
      await user.click(
        await screen.findByRole('button', { name: 'Add populated_places to the map' }, WAIT),
      );
      await user.click(
        await screen.findByRole('button', { name: 'Widgets of populated_places' }, WAIT),
      );
      const panel = await screen.findByRole('region', { name: 'populated_places widgets' }, WAIT);
      const titles = () => store.getState().widgets.panels[SOURCE]?.map((spec) => spec.title);
      // A count, the first categorical text column (not the per-place names), a histogram.
      expect(titles()).toEqual(['Features', 'country', 'population distribution']);
      await waitFor(
        () =>
          expect(within(panel).getByRole('region', { name: 'Features' }).textContent).toMatch(/\d/),
        WAIT,
      );
      expect(requests.matching('/model/category').at(-1)?.url.searchParams.get('params')).toMatch(
        /"column":"country".*"othersThreshold":100/,
      );

      // A range on population, then a sum of it.
      const form = screen.getByRole('form', { name: 'Add a widget' });
      await user.click(within(form).getByRole('combobox', { name: 'Widget' }));
      await user.click(await screen.findByRole('option', { name: 'Range (min–max filter)' }));
      await user.click(within(form).getByRole('button', { name: 'Add widget' }));
      await user.click(within(form).getByRole('combobox', { name: 'Widget' }));
      await user.click(await screen.findByRole('option', { name: /^Formula/ }));
      await user.click(within(form).getByRole('combobox', { name: 'Operation' }));
      await user.click(await screen.findByRole('option', { name: 'Sum' }));
      await user.click(within(form).getByRole('button', { name: 'Add widget' }));
      expect(titles()).toEqual([
        'Features',
        'country',
        'population distribution',
        'population range',
        'Sum of population',
      ]);
      expect(store.getState().widgets.panels[SOURCE]?.[3]).toMatchObject({
        type: 'range',
        column: 'population',
      });
      await waitFor(
        () =>
          expect(
            within(panel).getByRole('region', { name: 'Sum of population' }).textContent,
          ).toMatch(/\d/),
        WAIT,
      );

      // Reorder and remove with the buttons under each widget.
      await user.click(screen.getByRole('button', { name: 'Move Sum of population up' }));
      expect(titles()).toEqual([
        'Features',
        'country',
        'population distribution',
        'Sum of population',
        'population range',
      ]);
      await user.click(screen.getByRole('button', { name: 'Remove country' }));
      expect(titles()).toEqual([
        'Features',
        'population distribution',
        'Sum of population',
        'population range',
      ]);
      expect(screen.getByRole('button', { name: 'Move Features up' })).toBeDisabled();
    });
  },
);
