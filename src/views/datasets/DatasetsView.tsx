import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import { viewForBounds } from '../../features/map/fitView';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { addSource } from '../../features/sources/sourcesSlice';
import { layerAdded, selectAllLayers, viewStateChanged } from '../../features/map/mapSlice';
import { selectOAuthCredentials } from '../../features/oauth/oauthSlice';
import { useDatasets } from './useDatasets';
import type { DatasetInfo } from '../../api/datasetsModel';
import {
  aggregationFor,
  datasetSource,
  defaultStyle,
  layerKindOf,
  spatialIndexStyle,
} from './datasetLayer';

type AddState = { status: 'pending' } | { status: 'error'; message: string };

/** Lists the datasets the user may read; one click adds one to the map and zooms to it. */
export function DatasetsView() {
  const dispatch = useAppDispatch();
  const { state, retry, loggedIn } = useDatasets();
  const credentials = useAppSelector(selectOAuthCredentials);
  const onMap = new Set(useAppSelector(selectAllLayers).map((l) => l.sourceId));
  const [search, setSearch] = useState('');

  const [adding, setAdding] = useState<Record<string, AddState>>({});
  const setAddState = (id: string, next: AddState | null) => {
    setAdding((all) => {
      const rest = Object.fromEntries(Object.entries(all).filter(([key]) => key !== id));
      return next ? { ...rest, [id]: next } : rest;
    });
  };

  const add = async (dataset: DatasetInfo) => {
    const source = datasetSource(dataset);
    const kind = layerKindOf(dataset);
    if (!source || !kind) return;
    let style = defaultStyle(dataset.geometryType);
    if (kind === 'quadbin') {
      // Class breaks come from the value range in the source's TileJSON (the same request the
      // layer makes: @carto/api-client caches it).
      setAddState(dataset.id, { status: 'pending' });
      try {
        const { toCartoSource } = await import('../../features/sources/cartoSources');
        const tilejson = await toCartoSource(source, credentials);
        style = spatialIndexStyle(tilejson, aggregationFor(dataset).colorColumn);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        setAddState(dataset.id, { status: 'error', message });
        return;
      }
      setAddState(dataset.id, null);
    }
    dispatch(addSource(source));
    dispatch(
      layerAdded({
        id: `layer:${dataset.id}`,
        sourceId: source.id,
        kind,
        title: dataset.name,
        visible: true,
        style,
      }),
    );
    if (dataset.bounds) dispatch(viewStateChanged(viewForBounds(dataset.bounds)));
  };

  if (!loggedIn) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
        Log in with CARTO to see your datasets.
      </Typography>
    );
  }
  if (state.status === 'loading' || state.status === 'idle') {
    return (
      <Box
        sx={{ px: 2, py: 1, display: 'flex', gap: 1, alignItems: 'center' }}
        role="progressbar"
        aria-label="Loading datasets"
      >
        <CircularProgress size={16} />
        <Typography variant="body2">Loading your datasets…</Typography>
      </Box>
    );
  }
  if (state.status === 'error') {
    return (
      <Alert
        severity="error"
        sx={{ mx: 2 }}
        action={
          <Button color="inherit" size="small" onClick={retry}>
            Retry
          </Button>
        }
      >
        Could not list your datasets: {state.error}
      </Alert>
    );
  }
  const query = search.trim().toLowerCase();
  const shown = state.datasets.filter(
    (d) =>
      !query ||
      d.tableName.toLowerCase().includes(query) ||
      d.description.toLowerCase().includes(query),
  );
  return (
    <Box>
      <TextField
        size="small"
        label="Search datasets"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        sx={{ mx: 2, mt: 1, width: 'calc(100% - 32px)' }}
      />
      {shown.length === 0 ? (
        <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
          {state.datasets.length === 0
            ? 'You have no datasets you can read.'
            : `No dataset matches “${search}”.`}
        </Typography>
      ) : (
        <List dense aria-label="Datasets">
          {shown.map((dataset) => {
            const drawable = layerKindOf(dataset) !== null;
            const added = onMap.has(`dataset:${dataset.id}`);
            const addState = adding[dataset.id];
            const pending = addState?.status === 'pending';
            return (
              <ListItem
                key={dataset.id}
                secondaryAction={
                  <Button
                    size="small"
                    disabled={!drawable || added || pending}
                    onClick={() => void add(dataset)}
                    aria-label={`Add ${dataset.name} to the map`}
                  >
                    {added ? 'On map' : pending ? 'Adding…' : 'Add'}
                  </Button>
                }
              >
                <ListItemText
                  primary={dataset.tableName}
                  secondary={
                    <>
                      {`${dataset.geometryType ?? dataset.spatialDataType}${dataset.rows !== null ? ` · ${dataset.rows.toLocaleString('en-US')} rows` : ''}${drawable ? '' : ' · not drawable yet'}`}
                      {addState?.status === 'error' && (
                        <Box
                          component="span"
                          role="alert"
                          sx={{ display: 'block', color: 'error.main' }}
                        >
                          Could not add it: {addState.message}{' '}
                          <Button size="small" onClick={() => void add(dataset)}>
                            Retry
                          </Button>
                        </Box>
                      )}
                    </>
                  }
                />
              </ListItem>
            );
          })}
        </List>
      )}
    </Box>
  );
}
