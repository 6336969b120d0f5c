import { beforeEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within, configure } from '@testing-library/react';
import { SqlView } from '../../../src/views/sql/SqlView';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { selectAllLayers } from '../../../src/features/map/mapSlice';
import type { AppStore } from '../../../src/store/store';
import { sampleDataEmulator } from '../../mocks/emulator';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
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

function loggedInStore(): AppStore {
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({ accessToken: token, expiresAt: null, grantedScopes: [], user: null }),
  );
  return store;
}

const runButton = () => screen.getByRole('button', { name: /Run on the map|Running…/ });
// The editor and the SQL API's answers can take seconds on a loaded CI machine.
configure({ asyncUtilTimeout: 10_000 });

// Generous: under a loaded CI machine the first query (materialised, counted, paged) is slow.
const status = () => screen.findByRole('status', {}, { timeout: 30_000 });

async function run(user: ReturnType<typeof renderWithProviders>['user'], sql: string) {
  await write(sql);
  await waitFor(() => expect(runButton()).toHaveProperty('disabled', false));
  await user.click(runButton());
}

const TOP_120 =
  'SELECT name, population FROM demo.populated_places ORDER BY population DESC, name LIMIT 120';
const BIG_CITIES =
  'SELECT name, population, geom FROM demo.populated_places WHERE population > 10000000';

describe('SQL console', { timeout: 60_000 }, () => {
  it('shows the rows in a paged table with their count, and the editor is named "SQL query"', async () => {
    const { user } = renderWithProviders(<SqlView />, { store: loggedInStore() });
    const view = await editorView();
    expect(view.contentDOM.getAttribute('aria-label')).toBe('SQL query');
    expect(screen.getByRole('textbox', { name: 'SQL query' })).toBe(view.contentDOM);

    await run(user, TOP_120);
    expect((await status()).textContent).toMatch(/^120 rows \(no geom column/);
    const table = screen.getByRole('table', { name: 'Query results' });
    const header = within(table).getAllByRole('columnheader');
    expect(header.map((h) => h.textContent)).toEqual(['namevarchar', 'populationbigint']);
    expect(within(table).getAllByRole('row')).toHaveLength(1 + 50);
    const pages = screen.getByRole('navigation', { name: 'Result pages' });
    expect(pages.textContent).toContain('1–50 of 120');
    expect(within(pages).getByRole('button', { name: 'Previous page' })).toHaveProperty(
      'disabled',
      true,
    );
    await user.click(within(pages).getByRole('button', { name: 'Next page' }));
    await user.click(within(pages).getByRole('button', { name: 'Next page' }));
    expect(pages.textContent).toContain('101–120 of 120');
    // Each page is asked of the SQL API (LIMIT/OFFSET around the query).
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(1 + 20));
    expect(within(pages).getByRole('button', { name: 'Next page' })).toHaveProperty(
      'disabled',
      true,
    );
  });

  it('draws rows with a geometry on the map, shown short in the table; Ctrl+Enter runs', async () => {
    const store = loggedInStore();
    renderWithProviders(<SqlView />, { store });
    const view = await editorView();
    await write(BIG_CITIES);
    fireEvent.keyDown(view.contentDOM, { key: 'Enter', code: 'Enter', ctrlKey: true });
    expect((await status()).textContent).toMatch(/^\d+ rows?$/);
    const geometry = within(screen.getByRole('table', { name: 'Query results' })).getAllByText(
      /^Point \(-?\d+(\.\d+)?, -?\d+(\.\d+)?\)$/,
    );
    expect(geometry.length).toBeGreaterThan(0);
    await waitFor(() => expect(selectAllLayers(store.getState())).toHaveLength(1));
    expect(selectAllLayers(store.getState())[0]).toMatchObject({ id: 'sql-layer' });
    expect(store.getState().sources.entities.sql).toMatchObject({
      type: 'query',
      data: BIG_CITIES,
    });
  });

  it('marks an error at its line and column and says where it is', async () => {
    const store = loggedInStore();
    const { user } = renderWithProviders(<SqlView />, { store });
    await run(user, 'SELECT name\nFROM demo.populated_places\nWHER population > 1');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Line 3, column 6: .*syntax error/);
    // The diagnostic covers the word at line 3, column 6 ("population").
    const marked = await waitFor(() => {
      const mark = document.querySelector('.cm-lintRange-error');
      if (!mark) throw new Error('No error mark yet');
      return mark;
    });
    expect(marked.textContent).toBe('population');
    expect(selectAllLayers(store.getState())).toEqual([]);
  });

  it('says "0 rows" plainly, adds no layer and leaves the map where it was', async () => {
    const store = loggedInStore();
    const before = store.getState().map.viewState;
    const { user } = renderWithProviders(<SqlView />, { store });
    await run(user, 'SELECT name, geom FROM demo.populated_places WHERE population < 0');
    expect((await status()).textContent).toBe('The query returned 0 rows.');
    expect(screen.queryByRole('table')).toBeNull();
    // Give a map step the time it would take, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(selectAllLayers(store.getState())).toEqual([]);
    expect(store.getState().sources.ids).toEqual([]);
    expect(store.getState().map.viewState).toEqual(before);
  });

  it('keeps the text, the last query and its rows when the view is left and opened again', async () => {
    const store = loggedInStore();
    const first = renderWithProviders(<SqlView />, { store });
    await run(first.user, TOP_120);
    expect((await status()).textContent).toMatch(/^120 rows/);
    await write(`${TOP_120} -- edited`);
    first.unmount();

    renderWithProviders(<SqlView />, { store });
    // The rows are back at once, from the cache, before the editor has even loaded.
    expect(screen.getByRole('status').textContent).toMatch(/^120 rows/);
    expect(screen.getByRole('table', { name: 'Query results' })).toBeTruthy();
    const view = await editorView();
    expect(view.state.doc.toString()).toBe(`${TOP_120} -- edited`);
  });

  it('lists the queries that ran, newest first; a click loads one; it can be cleared', async () => {
    const { user } = renderWithProviders(<SqlView />, { store: loggedInStore() });
    await run(user, TOP_120);
    await screen.findByText(/^120 rows/);
    await run(user, BIG_CITIES);
    await waitFor(() => expect(screen.getByRole('status').textContent).not.toMatch(/^120/));
    // A failed query does not go in the history.
    await run(user, 'SELEC 1');
    await screen.findByRole('alert');

    await user.click(screen.getByRole('button', { name: 'Recent queries' }));
    const list = screen.getByRole('list', { name: 'Recent queries' });
    const items = within(list).getAllByRole('button');
    expect(items.map((item) => item.getAttribute('title'))).toEqual([BIG_CITIES, TOP_120]);
    await user.click(items[1]!);
    expect((await editorView()).state.doc.toString()).toBe(TOP_120);
    expect(JSON.parse(localStorage.getItem('carto-login-starter:sql:history') ?? '[]')).toEqual([
      BIG_CITIES,
      TOP_120,
    ]);

    await user.click(screen.getByRole('button', { name: 'Clear history' }));
    expect(screen.getByText('Queries you run show here.')).toBeTruthy();
    expect(localStorage.getItem('carto-login-starter:sql:history')).toBeNull();
  });

  it("lists the user's tables and their columns; a click inserts the name at the cursor", async () => {
    const { user } = renderWithProviders(<SqlView />, { store: loggedInStore() });
    await write('SELECT  FROM ');
    const view = await editorView();
    act(() => {
      view.dispatch({ selection: { anchor: 'SELECT '.length } });
    });
    await user.click(screen.getByRole('button', { name: 'Tables' }));
    await user.click(
      await screen.findByRole('button', { name: 'Columns of demo.populated_places' }),
    );
    const columns = screen.getByRole('list', { name: 'Columns of demo.populated_places' });
    expect(within(columns).getByRole('button', { name: 'Insert population' })).toBeTruthy();
    await user.click(within(columns).getByRole('button', { name: 'Insert name' }));
    expect(view.state.doc.toString()).toBe('SELECT name FROM ');
    act(() => {
      view.dispatch({ selection: { anchor: view.state.doc.length } });
    });
    await user.click(screen.getByRole('button', { name: 'Insert demo.populated_places' }));
    expect(view.state.doc.toString()).toBe('SELECT name FROM demo.populated_places');
  });

  it('asks to log in when logged out', async () => {
    renderWithProviders(<SqlView />);
    expect(screen.getByText('Log in with CARTO to run queries.')).toBeTruthy();
    expect(runButton()).toHaveProperty('disabled', true);
    await editorView();
  });
});
