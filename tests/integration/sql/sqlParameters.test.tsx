import { beforeEach, describe, expect, it } from 'vitest';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SqlView } from '../../../src/views/sql/SqlView';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import type { AppStore } from '../../../src/store/store';
import { sampleDataEmulator } from '../../mocks/emulator';
import { makeOAuthTestStore, mapDrawn } from '../../utils/oauthTestStore';
import { recordRequests } from '../../utils/requestLog';
import { renderWithProviders } from '../../utils/renderWithProviders';
import { rangeRectsForCodeMirror } from './jsdomRange';
import { editorView, write } from './editor';

rangeRectsForCodeMirror();

let token: string;
sampleDataEmulator((t) => {
  token = t;
});

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

// The editor is a lazy chunk and the first query is materialised: generous on a loaded machine.
configure({ asyncUtilTimeout: 15_000 });

function loggedInStore(grantedScopes: string[] = []): AppStore {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({ accessToken: token, expiresAt: null, grantedScopes, user: null }),
  );
  mapDrawn(store);
  return store;
}

const runButton = () => screen.getByRole('button', { name: /Run on the map|Running…/ });
const status = () => screen.findByRole('status', {}, { timeout: 30_000 });

type User = ReturnType<typeof renderWithProviders>['user'];

async function run(user: User) {
  await waitFor(() => expect(runButton()).toHaveProperty('disabled', false));
  await user.click(runButton());
}

/** Declares a parameter with the form under "Parameters". */
async function addParameter(user: User, name: string, typeLabel: string) {
  // The parameters' controls are a lazy chunk.
  const form = await screen.findByRole('form', { name: 'Add a parameter' });
  await user.type(within(form).getByRole('textbox', { name: 'Parameter name' }), name);
  await user.click(within(form).getByRole('combobox', { name: 'Type' }));
  await user.click(await screen.findByRole('option', { name: typeLabel }));
  return form;
}

/** The SQL API requests made: their `q` and parsed `queryParameters`. */
function sqlRequests(log: ReturnType<typeof recordRequests>) {
  return log.matching('/v3/sql/carto_dw/query').map((request) => {
    const raw = request.url.searchParams.get('queryParameters');
    return {
      q: request.url.searchParams.get('q') ?? '',
      queryParameters: raw === null ? undefined : (JSON.parse(raw) as unknown),
    };
  });
}

const BIG =
  'SELECT name, population, geom FROM demo.populated_places\nWHERE population > {{min_pop}}';

describe('SQL parameters', { timeout: 90_000 }, () => {
  it('binds a number parameter: ? in the SQL, the value in queryParameters, for the map too', async () => {
    const store = loggedInStore();
    const log = recordRequests();
    const { user } = renderWithProviders(<SqlView />, { store });
    const form = await addParameter(user, 'min_pop', 'Number');
    const initial = within(form).getByRole('spinbutton', { name: 'Default' });
    await user.clear(initial);
    await user.type(initial, '10000000');
    await user.click(within(form).getByRole('button', { name: 'Add parameter' }));
    const group = screen.getByRole('group', { name: 'Parameter min_pop' });
    expect(within(group).getByRole('spinbutton', { name: 'min_pop' })).toHaveProperty(
      'value',
      '10000000',
    );

    await write(BIG);
    await run(user);
    const first = (await status()).textContent;
    expect(first).toMatch(/^\d+ rows?$/);
    const sent = sqlRequests(log);
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent) {
      expect(request.q).toContain('WHERE population > ?');
      expect(request.q).not.toContain('10000000');
      expect(request.q).not.toContain('{{');
      expect(request.queryParameters).toEqual([10_000_000]);
    }
    await waitFor(() =>
      expect(store.getState().sources.entities.sql).toMatchObject({
        type: 'query',
        data: 'SELECT name, population, geom FROM demo.populated_places\nWHERE population > ?',
        queryParameters: [10_000_000],
      }),
    );
    const maps = log
      .matching('/v3/maps/carto_dw/query')
      .filter((request) => request.url.searchParams.has('q'));
    expect(maps.length).toBeGreaterThan(0);
    expect(maps.at(-1)?.url.searchParams.get('queryParameters')).toBe('[10000000]');

    // A new value runs the query again (once typing pauses), with the new value bound.
    const control = within(group).getByRole('spinbutton', { name: 'min_pop' });
    await user.clear(control);
    await user.type(control, '20000000');
    await waitFor(() =>
      expect(store.getState().sources.entities.sql?.queryParameters).toEqual([20_000_000]),
    );
    await waitFor(() => expect(screen.getByRole('status').textContent).not.toBe(first));
    const again = sqlRequests(log).filter(
      (r) => JSON.stringify(r.queryParameters) === '[20000000]',
    );
    expect(again.length).toBeGreaterThan(0);
    // Typing was not sent keystroke by keystroke: no request for a partial number.
    expect(sqlRequests(log).some((r) => JSON.stringify(r.queryParameters) === '[2]')).toBe(false);
  });

  it('binds several texts as one array (list_contains) and a number range: the example', async () => {
    const store = loggedInStore();
    const log = recordRequests();
    const { user } = renderWithProviders(<SqlView />, { store });
    await user.click(await screen.findByRole('button', { name: 'Try the example' }));
    expect((await editorView()).state.doc.toString()).toContain('list_contains({{types}}');
    await run(user);
    await status();
    expect(sqlRequests(log).at(-1)).toMatchObject({
      queryParameters: [1_000_000, 3_000_000, ['Supermarket', 'Drugstore']],
    });
    expect(sqlRequests(log).at(-1)?.q).toContain(
      'WHERE revenue BETWEEN ? AND ?\n  AND list_contains(?, store_type)',
    );
    await waitFor(() =>
      expect(store.getState().sources.entities.sql?.queryParameters).toEqual([
        1_000_000,
        3_000_000,
        ['Supermarket', 'Drugstore'],
      ]),
    );

    // A chip added or removed runs the query again at once.
    const types = screen.getByRole('combobox', { name: 'types' });
    await user.type(types, 'Convenience{Enter}');
    await waitFor(() =>
      expect(store.getState().sources.entities.sql?.queryParameters).toEqual([
        1_000_000,
        3_000_000,
        ['Supermarket', 'Drugstore', 'Convenience'],
      ]),
    );
    const group = screen.getByRole('group', { name: 'Parameter types' });
    const drugstore = within(group).getByRole('button', { name: 'Drugstore' });
    fireEvent.click(drugstore.querySelector('.MuiChip-deleteIcon')!);
    await waitFor(() =>
      expect(sqlRequests(log).at(-1)?.queryParameters).toEqual([
        1_000_000,
        3_000_000,
        ['Supermarket', 'Convenience'],
      ]),
    );
  });

  it('new values show the first page of their rows', async () => {
    const { user } = renderWithProviders(<SqlView />, { store: loggedInStore() });
    await addParameter(user, 'top', 'Number');
    const form = screen.getByRole('form', { name: 'Add a parameter' });
    const initial = within(form).getByRole('spinbutton', { name: 'Default' });
    await user.clear(initial);
    await user.type(initial, '120');
    await user.click(within(form).getByRole('button', { name: 'Add parameter' }));
    await write(
      'SELECT name, population FROM demo.populated_places\nORDER BY population DESC, name LIMIT {{top}}',
    );
    await run(user);
    expect((await status()).textContent).toMatch(/^120 rows/);
    const pages = screen.getByRole('navigation', { name: 'Result pages' });
    await user.click(within(pages).getByRole('button', { name: 'Next page' }));
    expect(pages.textContent).toContain('51–100 of 120');

    const control = screen.getByRole('spinbutton', { name: 'top' });
    await user.clear(control);
    await user.type(control, '70');
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^70 rows/));
    const after = screen.getByRole('navigation', { name: 'Result pages' });
    expect(after.textContent).toContain('1–50 of 70');
  });

  it('shows an unknown placeholder at its line and column, and sends nothing', async () => {
    const log = recordRequests();
    const { user } = renderWithProviders(<SqlView />, { store: loggedInStore() });
    await write('SELECT name\nFROM demo.populated_places\nWHERE population > {{nope}}');
    await run(user);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(
      /^Line 3, column 20: Unknown parameter \{\{nope\}\} \(line 3, column 20\)\. Add it under Parameters/,
    );
    await waitFor(() => expect(document.querySelector('.cm-lintRange-error')).not.toBeNull());
    expect(sqlRequests(log)).toEqual([]);

    // Declaring it runs the query.
    await addParameter(user, 'nope', 'Number');
    await user.click(screen.getByRole('button', { name: 'Add parameter' }));
    expect((await status()).textContent).toMatch(/rows/);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(sqlRequests(log).at(-1)?.queryParameters).toEqual([0]);
  });

  it('maps a database error after a placeholder back to the column in the text', async () => {
    const { user } = renderWithProviders(<SqlView />, { store: loggedInStore() });
    await addParameter(user, 'city', 'Text');
    await user.click(screen.getByRole('button', { name: 'Add parameter' }));
    await write('SELECT name FROM demo.populated_places\nWHERE name = {{city}} AND AND 1');
    await run(user);
    const alert = await screen.findByRole('alert');
    // The second AND is at column 27 of the text (column 20 of the SQL sent, ? for {{city}}).
    expect(alert.textContent).toMatch(/^Line 2, column 27: .*syntax error/);
  });

  it('keeps parameters and their values across a reload; a date range is bound as two dates', async () => {
    const store = loggedInStore();
    const log = recordRequests();
    const first = renderWithProviders(<SqlView />, { store });
    await addParameter(first.user, 'opened', 'Date range');
    await first.user.click(screen.getByRole('button', { name: 'Add parameter' }));
    fireEvent.change(screen.getByLabelText('opened from'), { target: { value: '2021-03-01' } });
    await write(
      'SELECT count(*) AS n FROM demo.retail_stores\nWHERE opened_at BETWEEN {{opened_from}} AND {{opened_to}}',
    );
    await run(first.user);
    await status();
    expect(sqlRequests(log).at(-1)?.queryParameters).toEqual(['2021-03-01', '2024-12-31']);
    first.unmount();

    renderWithProviders(<SqlView />, { store });
    expect(await screen.findByRole('group', { name: 'Parameter opened' })).toBeTruthy();
    expect(screen.getByLabelText('opened from')).toHaveProperty('value', '2021-03-01');
    expect(screen.getByLabelText('opened to')).toHaveProperty('value', '2024-12-31');
    expect((await status()).textContent).toMatch(/^1 row\b/);

    // Removed: gone from storage too, and the query that uses it says so.
    await first.user.click(screen.getByRole('button', { name: 'Remove parameter opened' }));
    expect(screen.queryByRole('group', { name: 'Parameter opened' })).toBeNull();
    expect(localStorage.getItem('carto-login-starter:sql:parameters')).toBeNull();
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Unknown parameter \{\{opened_from\}\} \(line 2, column 25\)/,
    );
  });

  it('the query’s widgets run again, with the new values bound, when a parameter changes', async () => {
    const store = loggedInStore(['read:connections']);
    const log = recordRequests();
    const { user } = renderWithProviders(<SqlView />, { store });
    await user.click(await screen.findByRole('button', { name: 'Try the example' }));
    await run(user);
    await status();
    await user.click(await screen.findByRole('button', { name: 'Widgets' }));
    const panel = await screen.findByRole('region', { name: 'query widgets' });
    const count = () => within(panel).getByRole('region', { name: 'Features' });
    await waitFor(() => expect(count().getAttribute('aria-busy')).toBe('false'));
    const before = count().textContent;
    expect(before).toMatch(/\d/);
    const formula = () =>
      log
        .matching('/v3/sql/carto_dw/model/formula')
        .map((r) => JSON.parse(r.url.searchParams.get('queryParameters') ?? 'null') as unknown);
    expect(formula().at(-1)).toEqual([1_000_000, 3_000_000, ['Supermarket', 'Drugstore']]);

    await user.type(screen.getByRole('combobox', { name: 'types' }), 'Convenience{Enter}');
    await waitFor(() =>
      expect(formula().at(-1)).toEqual([
        1_000_000,
        3_000_000,
        ['Supermarket', 'Drugstore', 'Convenience'],
      ]),
    );
    await waitFor(() => expect(count().textContent).not.toBe(before));
  });
});
