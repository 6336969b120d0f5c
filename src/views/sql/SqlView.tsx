import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { skipToken } from '@reduxjs/toolkit/query';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import Typography from '@mui/material/Typography';
import OpenInFullIcon from '@mui/icons-material/OpenInFull';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import type { LayerConfig } from '../../features/map/mapSlice';
import { fitMapTo } from '../../features/map/fitView';
import { selectOAuthCredentials } from '../../features/oauth/oauthSlice';
import { useViewLayers } from '../../features/map/useViewLayers';
import type { SourceDescriptor } from '../../features/sources/sourcesSlice';
import { DEMO_CONNECTION } from '../../data/sources';
import { cartoApi } from '../../api/cartoApi';
import { useAbortSuperseded } from '../../api/useAbortSuperseded';
import { errorMessage } from '../../api/queryError';
import type { SqlArgs } from '../../api/sqlModel';
import {
  compileParameters,
  sourcePositions,
  type BoundValue,
} from '../../features/sqlParameters/sqlParameters';
import { SqlInput } from './SqlInput';
import type { CompletionSchema, EditorHandle } from './editorTypes';
import { ResultsTable } from './ResultsTable';
import { SchemaBrowser } from './SchemaBrowser';
import { QueryHistory } from './QueryHistory';
import { NamedSources } from './NamedSources';
import { Section } from './Section';
import { EXAMPLE_PARAMETERS, EXAMPLE_SQL } from './parameterExample';
import { ParametersSection } from './ParametersSection';
import { useSqlParameters } from './useSqlParameters';

// Widgets over the query's rows (the Datasets view's builder), loaded when the section opens.
const QueryWidgets = lazy(() => import('../../features/widgets/builder/DatasetWidgets'));
import {
  countQuery,
  describePosition,
  errorPosition,
  pageQuery,
  queryBody,
  sqlTableName,
  userLines,
} from './sqlText';
import {
  loadHistory,
  loadLastRun,
  loadText,
  saveHistory,
  saveLastRun,
  saveText,
  withQuery,
} from './sqlStorage';

const DEFAULT_QUERY =
  'SELECT name, population, geom\nFROM demo.populated_places\nWHERE population > 1000000';
const LAYER: LayerConfig = {
  id: 'sql-layer',
  sourceId: 'sql',
  kind: 'vector',
  title: 'SQL query',
  visible: true,
  style: {
    fillColor: [242, 183, 1, 230],
    lineColor: [80, 60, 0, 255],
    pointRadius: 4,
    lineWidth: 1,
  },
};
/** The column a query source draws (the Maps API's default `spatialDataColumn`). */
const GEOMETRY_COLUMN = 'geom';

const count = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;

/**
 * A SQL console: write a query (CodeMirror, loaded on demand), run it with the button or
 * Ctrl/Cmd+Enter, see its rows in a paged table and, when they have a `geom` column, on the map
 * as a query source. Errors are marked at their line and column. The user's tables can be
 * browsed and inserted, and recent queries loaded again.
 *
 * What survives leaving the view: the text and the history (localStorage), the last query run
 * (sessionStorage), and its rows and TileJSON (the RTK Query cache, by arguments; asked again
 * if the cache has dropped them).
 *
 * Rows are paged by the SQL API, not here: the query is wrapped in LIMIT/OFFSET for a page and
 * in COUNT(*) for the total. A query may return far more rows than the API answers with at
 * once (the emulator refuses over 100,000; a whole table drawn on the map is often more) and
 * the table shows 50 at a time, so only those travel. Error lines are mapped back to the
 * user's text (`userLines`).
 *
 * Parameters (CARTO Builder's `{{name}}`, `{{name_from}}`/`{{name_to}}`) are declared under
 * the editor, each with a control. The query that ran is compiled with their current values:
 * each placeholder becomes a `?` and its value goes in `queryParameters`, for the SQL API and
 * for the map's query source alike (so a change re-runs both, and any widget of the source).
 */
export function SqlView() {
  const dispatch = useAppDispatch();
  const loggedIn = useAppSelector(selectOAuthCredentials) !== null;
  const [text, setTextState] = useState(() => loadText(DEFAULT_QUERY));
  const [lastRun, setLastRun] = useState(loadLastRun);
  const [history, setHistory] = useState(loadHistory);
  // The page shown, for the values it was chosen with: new values show their first page.
  const [paging, setPaging] = useState({ key: '', page: 0 });
  const [expanded, setExpanded] = useState(false);
  const editor = useRef<EditorHandle | null>(null);
  const onEditorReady = useCallback((handle: EditorHandle | null) => {
    editor.current = handle;
  }, []);
  // A run the user asked for, until its rows (history) and its map step (fit the map) are done.
  const pending = useRef<{ q: string; history: boolean; fit: boolean } | null>(null);

  const setText = useCallback((value: string) => {
    setTextState(value);
    saveText(value);
  }, []);
  const parameters = useSqlParameters();

  // The query that ran, with its parameters' current values bound: `?` SQL and the values.
  const source = lastRun === null ? null : queryBody(lastRun);
  const compiled = useMemo(
    () =>
      source === null ? null : compileParameters(source, parameters.declarations, parameters.bound),
    [source, parameters.declarations, parameters.bound],
  );
  const ready = compiled?.ok ? compiled : null;
  const body = ready?.sql ?? null;
  // As text, so that a re-render with the same values keeps the same descriptor.
  const boundKey = ready?.queryParameters.length ? JSON.stringify(ready.queryParameters) : null;
  const page = paging.key === (boundKey ?? '') ? paging.page : 0;
  const setPage = useCallback(
    (next: number) => setPaging({ key: boundKey ?? '', page: next }),
    [boundKey],
  );
  const bound = useMemo<Pick<SourceDescriptor, 'queryParameters'>>(
    () => (boundKey === null ? {} : { queryParameters: JSON.parse(boundKey) as BoundValue[] }),
    [boundKey],
  );

  // The SQL API, three ways: how many rows, the first page (its schema says whether the rows
  // can be drawn; kept while paging) and the page shown (the same request on page 1).
  const args = (q: (body: string) => string): SqlArgs | typeof skipToken =>
    loggedIn && body !== null ? { connection: DEMO_CONNECTION, q: q(body), ...bound } : skipToken;
  const countArgs = args(countQuery);
  const firstArgs = args((q) => pageQuery(q, 0));
  const pageArgs = args((q) => pageQuery(q, page));
  const counted = cartoApi.useSqlQuery(countArgs);
  const first = cartoApi.useSqlQuery(firstArgs);
  const shown = cartoApi.useSqlQuery(pageArgs);
  useAbortSuperseded('sql', countArgs);
  useAbortSuperseded('sql', firstArgs);
  useAbortSuperseded('sql', pageArgs);
  const total = counted.currentData
    ? Number(counted.currentData.rows[0]?.row_count ?? 0)
    : undefined;
  const schema = first.currentData?.schema;
  const result = total !== undefined && schema ? { total, schema } : undefined;
  const drawable =
    result !== undefined &&
    result.total > 0 &&
    result.schema.some((column) => column.name === GEOMETRY_COLUMN);

  // The columns the widgets offer: the last drawable result's, kept while a new run loads (the
  // Widgets section stays open through a parameter change).
  const [widgetColumns, setWidgetColumns] = useState<{ name: string; type: string }[] | null>(null);
  if (drawable && result.schema !== widgetColumns) setWidgetColumns(result.schema);

  // The map step: the query as a query source (its TileJSON), only for rows with a geometry.
  const descriptor = useMemo<SourceDescriptor | null>(
    () =>
      body === null
        ? null
        : {
            id: 'sql',
            type: 'query',
            connection: DEMO_CONNECTION,
            data: body,
            ...bound,
          },
    [body, bound],
  );
  const mapArgs = drawable && descriptor ? descriptor : skipToken;
  const map = cartoApi.useCreateSourceQuery(mapArgs);
  useAbortSuperseded('createSource', mapArgs);
  const tilejson = mapArgs === skipToken ? undefined : map.currentData;
  useViewLayers(tilejson ? descriptor : null, tilejson ? LAYER : null);

  const datasets = cartoApi.useListDatasetsQuery(loggedIn ? undefined : skipToken);
  const tables = useMemo(
    () => (datasets.data ?? []).filter((table) => table.connection === DEMO_CONNECTION),
    [datasets.data],
  );
  const completion = useMemo<CompletionSchema>(
    () =>
      Object.fromEntries(
        tables.map((table) => [
          sqlTableName(table.schema, table.name),
          table.columns.map((column) => column.name),
        ]),
      ),
    [tables],
  );

  // A run's rows arrived: it goes first in the history (again when run again).
  const ranAt = result ? counted.fulfilledTimeStamp : undefined;
  useEffect(() => {
    const run = pending.current;
    if (ranAt === undefined || !run?.history || run.q !== lastRun) return;
    run.history = false;
    setHistory((before) => {
      const after = withQuery(before, run.q);
      saveHistory(after);
      return after;
    });
  }, [ranAt, lastRun]);

  // A run's source is ready: show its rows on the map (once per run, never for 0 rows).
  useEffect(() => {
    const run = pending.current;
    if (!tilejson || !run?.fit || run.q !== lastRun) return;
    run.fit = false;
    dispatch(fitMapTo(tilejson.bounds));
  }, [tilejson, lastRun, dispatch]);

  const running =
    counted.isFetching || first.isFetching || (mapArgs !== skipToken && map.isFetching);
  const canRun = loggedIn && !running && text.trim() !== '';

  const run = () => {
    if (!canRun) return;
    pending.current = { q: text, history: true, fit: true };
    setPage(0);
    if (text === lastRun && !counted.isUninitialized) {
      // The same query again: ask again (the data may have changed).
      void counted.refetch();
      void first.refetch();
      if (mapArgs !== skipToken) void map.refetch();
      return;
    }
    setLastRun(text);
    saveLastRun(text);
  };

  // Stable, as the memoised sections' props (typing re-renders the view, not them).
  const load = useCallback(
    (q: string) => {
      setText(q);
      editor.current?.focus();
    },
    [setText],
  );
  const insert = useCallback((name: string) => editor.current?.insert(name), []);

  const example = () => {
    setText(EXAMPLE_SQL);
    parameters.add(...EXAMPLE_PARAMETERS);
  };

  const clearHistory = () => {
    setHistory([]);
    saveHistory([]);
  };

  // Positions in the source text: lines of the wrapped query, columns moved by placeholders.
  const inSource = (message: string) =>
    ready && source !== null ? sourcePositions(message, source, ready) : message;
  const sqlError = [first, counted, shown].find((request) => request.isError)?.error;
  const failure =
    compiled && !compiled.ok
      ? { error: compiled.message, prefix: '' }
      : sqlError
        ? { error: inSource(userLines(errorMessage(sqlError))), prefix: '' }
        : mapArgs !== skipToken && map.isError
          ? {
              error: inSource(errorMessage(map.error)),
              prefix: 'The rows could not be drawn on the map: ',
            }
          : null;
  const position = failure ? errorPosition(failure.error) : null;
  // A new object each render: the editor marks it again only when its text changes.
  const editorError = failure && position ? { position, message: failure.error } : null;

  const table = result && result.total > 0 && (
    <ResultsTable
      schema={result.schema}
      rows={shown.currentData?.rows ?? null}
      total={result.total}
      page={page}
      onPage={setPage}
      maxHeight={expanded ? '70vh' : 320}
      label="Query results"
    />
  );

  return (
    // One column no wider than the panel: a long line of SQL (a named source's, a recent query)
    // is cut with an ellipsis instead of widening every section.
    <Box sx={{ px: 2, py: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 1 }}>
      {/* What the view does is said above it (its description, src/views/registry.ts). */}
      <Typography variant="body2">
        Queries run on the <code>{DEMO_CONNECTION}</code> connection.
      </Typography>
      <SqlInput
        value={text}
        onChange={setText}
        onRun={run}
        error={editorError}
        completion={completion}
        onReady={onEditorReady}
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Button variant="contained" onClick={run} disabled={!canRun}>
          {running ? 'Running…' : 'Run on the map'}
        </Button>
        <Typography variant="caption" color="text.secondary">
          or Ctrl+Enter
        </Typography>
      </Box>
      {!loggedIn && (
        <Typography variant="body2" color="text.secondary">
          Log in with CARTO to run queries.
        </Typography>
      )}
      <ParametersSection
        declarations={parameters.declarations}
        values={parameters.values}
        onAdd={parameters.add}
        onRemove={parameters.remove}
        onChange={parameters.change}
        onInsert={(placeholder) => editor.current?.insert(placeholder)}
        onExample={example}
      />
      {failure && (
        <Alert severity="error" role="alert">
          {failure.prefix}
          {position && <strong>{describePosition(position)}: </strong>}
          <span style={{ whiteSpace: 'pre-wrap' }}>{failure.error}</span>
        </Alert>
      )}
      {result && !sqlError && (
        <Box sx={{ display: 'grid', gap: 0.5, minWidth: 0 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} role="status">
            <Typography variant="body2" sx={{ flex: 1 }}>
              {result.total === 0 ? 'The query returned 0 rows.' : count(result.total)}
              {result.total > 0 && !drawable && ' (no geom column: not drawn on the map)'}
            </Typography>
            {result.total > 0 && (
              <IconButton
                size="small"
                aria-label="Show the results larger"
                onClick={() => setExpanded(true)}
              >
                <OpenInFullIcon fontSize="small" />
              </IconButton>
            )}
          </Box>
          {!expanded && table}
        </Box>
      )}
      <Dialog open={expanded && !!table} onClose={() => setExpanded(false)} maxWidth="lg" fullWidth>
        <DialogTitle>Results: {result ? count(result.total) : ''}</DialogTitle>
        <DialogContent>{expanded && table}</DialogContent>
        <DialogActions>
          <Button onClick={() => setExpanded(false)}>Close</Button>
        </DialogActions>
      </Dialog>
      {widgetColumns && descriptor && (
        <Section title="Widgets">
          <Typography variant="body2" color="text.secondary" sx={{ px: 1 }}>
            Summaries of the query&apos;s rows in view; they run again when its parameters change.
          </Typography>
          <Suspense fallback={null}>
            <QueryWidgets sourceId={descriptor.id} name="query" columns={widgetColumns} />
          </Suspense>
        </Section>
      )}
      {loggedIn && (
        <Section title="Tables">
          {datasets.isError ? (
            <Alert severity="error">
              The tables could not be listed: {errorMessage(datasets.error)}
            </Alert>
          ) : datasets.isLoading ? (
            <Typography variant="body2" color="text.secondary" sx={{ px: 1 }}>
              Loading the tables…
            </Typography>
          ) : (
            <SchemaBrowser tables={tables} onInsert={insert} />
          )}
        </Section>
      )}
      {loggedIn && (
        <Section title="Named sources">
          <NamedSources text={text} connection={DEMO_CONNECTION} onLoad={load} />
        </Section>
      )}
      <Section
        title="Recent queries"
        action={
          history.length > 0 && (
            <Button size="small" onClick={clearHistory}>
              Clear history
            </Button>
          )
        }
      >
        <QueryHistory history={history} onLoad={load} />
      </Section>
    </Box>
  );
}
