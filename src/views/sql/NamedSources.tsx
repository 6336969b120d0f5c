import { memo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { cartoApi, useLazyCreateSourceQuery } from '../../api/cartoApi';
import { errorMessage } from '../../api/queryError';
import { namedSourceNameProblem, type NamedSource } from '../../api/namedSourcesModel';
import { RequestError, RequestLoading } from '../../components/RequestState';
import { fitMapTo } from '../../features/map/fitView';
import { layerAdded, selectAllLayers, type LayerStyle } from '../../features/map/mapSlice';
import { addSource, type SourceDescriptor } from '../../features/sources/sourcesSlice';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { addToMapButton } from '../../features/map/addToMapButton';

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** CARTOColors "Bold" purples, one shade per named source layer. */
const COLORS: [number, number, number][] = [
  [127, 60, 141],
  [57, 105, 172],
  [17, 165, 121],
  [231, 63, 116],
];

const styleOf = (colorIndex: number): LayerStyle => {
  const [r, g, b] = COLORS[colorIndex % COLORS.length] ?? [127, 60, 141];
  return {
    fillColor: [r, g, b, 220],
    lineColor: [255, 255, 255, 200],
    pointRadius: 3,
    lineWidth: 0.5,
  };
};

/** The query source of a named source: the name travels, never its SQL. */
const namedSourceDescriptor = (named: NamedSource): SourceDescriptor => ({
  id: `named:${named.name}`,
  type: 'query',
  connection: named.connectionName,
  data: named.name,
});

/** One named source: load its SQL, put it on the map by name, or delete it (if it is yours). */
function NamedSourceRow({
  named,
  mine,
  onLoad,
  onMap,
  colorIndex,
}: {
  named: NamedSource;
  mine: boolean;
  onLoad: (sql: string) => void;
  onMap: boolean;
  colorIndex: number;
}) {
  const dispatch = useAppDispatch();
  const [prepare, prepared] = useLazyCreateSourceQuery();
  const [remove, removal] = cartoApi.useDeleteNamedSourceMutation();
  const source = namedSourceDescriptor(named);

  const add = async () => {
    const { data } = await prepare(source, true);
    if (!data) return; // the row says what failed, with a Retry
    dispatch(addSource(source));
    dispatch(
      layerAdded({
        id: `layer:${source.id}`,
        sourceId: source.id,
        kind: 'vector',
        title: named.name,
        visible: true,
        style: styleOf(colorIndex),
      }),
    );
    dispatch(fitMapTo(data.bounds));
  };

  const addButton = addToMapButton(named.name, { onMap, pending: prepared.isFetching });
  const failure = prepared.isError
    ? { what: 'Could not add it to the map', error: prepared.error, retry: add }
    : removal.isError
      ? { what: 'Could not delete it', error: removal.error, retry: () => remove(named.name) }
      : null;
  return (
    <ListItem disableGutters sx={{ display: 'block', px: 1 }}>
      <ListItemText
        primary={named.name}
        secondary={
          <>
            {named.description && (
              <Box component="span" sx={{ display: 'block' }}>
                {named.description}
              </Box>
            )}
            <Box
              component="span"
              title={named.source}
              sx={{
                display: 'block',
                fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
                fontSize: 12,
                whiteSpace: 'nowrap',
                overflow: 'hidden',
                textOverflow: 'ellipsis',
              }}
            >
              {oneLine(named.source)}
            </Box>
          </>
        }
      />
      <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
        <Button
          size="small"
          onClick={() => onLoad(named.source)}
          aria-label={`Load SQL of ${named.name} into the editor`}
        >
          Load SQL
        </Button>
        <Button
          size="small"
          disabled={onMap || prepared.isFetching}
          onClick={() => void add()}
          // The visible text is part of the name (for speech input users).
          aria-label={addButton.label}
        >
          {addButton.text}
        </Button>
        {mine && (
          <Button
            size="small"
            color="error"
            disabled={removal.isLoading}
            onClick={() => void remove(named.name)}
            aria-label={`Delete ${named.name}`}
          >
            {removal.isLoading ? 'Deleting…' : 'Delete'}
          </Button>
        )}
      </Box>
      {failure && (
        <Alert
          severity="error"
          role="alert"
          sx={{ mt: 0.5 }}
          action={
            <Button size="small" color="inherit" onClick={() => void failure.retry()}>
              Retry
            </Button>
          }
        >
          {failure.what}: {errorMessage(failure.error)}
        </Alert>
      )}
    </ListItem>
  );
}

/**
 * CARTO's named sources in the SQL console: save the query under a name (a new one, or one of
 * yours replaced), and use a name instead of SQL. On the map, a named source's query source
 * sends only its name: the SQL stays on the server, which is what named sources are for.
 * Memoised (a parameter's value or the rows changing changes none of its props).
 */
export const NamedSources = memo(function NamedSources({
  text,
  connection,
  onLoad,
}: {
  /** The editor's SQL: what Save keeps. */
  text: string;
  connection: string;
  onLoad: (sql: string) => void;
}) {
  const list = cartoApi.useNamedSourcesQuery(undefined);
  const [save, saving] = cartoApi.useSaveNamedSourceMutation();
  const userId = useAppSelector((state) => state.oauth.session?.user?.id ?? null);
  const layers = useAppSelector(selectAllLayers);
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const all = list.data ?? [];
  const existing = all.find((named) => named.name === name);
  const mine = (named: NamedSource) => named.createdBy !== null && named.createdBy === userId;
  const problem =
    name === ''
      ? null
      : (namedSourceNameProblem(name) ??
        (existing && !mine(existing)
          ? `“${name}” is taken by a named source you cannot change.`
          : null));
  const canSave = name !== '' && problem === null && text.trim() !== '' && !saving.isLoading;

  const submit = async () => {
    setTouched(true);
    if (!canSave) return;
    const result = await save({
      name,
      connectionName: connection,
      source: text,
      replace: existing !== undefined,
    });
    if ('data' in result) setSaved(existing ? `Replaced the SQL of ${name}.` : `Saved ${name}.`);
  };

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 1, px: 1 }}>
      <Typography variant="body2" color="text.secondary">
        A named source keeps a query on the server: an app sends its name, never its SQL.
      </Typography>
      <Box
        component="form"
        sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <TextField
          size="small"
          label="Name"
          value={name}
          onChange={(event) => {
            setName(event.target.value.trim());
            setSaved(null);
          }}
          onBlur={() => setTouched(true)}
          error={touched && problem !== null}
          helperText={
            touched && problem !== null
              ? problem
              : existing && mine(existing)
                ? 'Yours: saving replaces its SQL.'
                : 'e.g. big-cities'
          }
          sx={{ flex: 1 }}
        />
        <Button type="submit" variant="outlined" disabled={saving.isLoading} sx={{ mt: 0.25 }}>
          {saving.isLoading ? 'Saving…' : existing ? 'Replace' : 'Save query'}
        </Button>
      </Box>
      {saving.isError && (
        <Alert severity="error" role="alert">
          Could not save the query as {name === '' ? 'a named source' : name}:{' '}
          {errorMessage(saving.error)}
        </Alert>
      )}
      {saved && !saving.isError && (
        <Typography variant="body2" role="status">
          {saved}
        </Typography>
      )}
      {list.isError ? (
        <RequestError
          what="Could not list the named sources"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : !list.data ? (
        <RequestLoading label="Loading the named sources" />
      ) : all.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No named sources yet: save a query to make one.
        </Typography>
      ) : (
        <List dense disablePadding aria-label="Named sources">
          {all.map((named) => (
            <NamedSourceRow
              key={named.name}
              named={named}
              mine={mine(named)}
              onLoad={onLoad}
              onMap={layers.some((layer) => layer.sourceId === `named:${named.name}`)}
              colorIndex={layers.length}
            />
          ))}
        </List>
      )}
    </Box>
  );
});
