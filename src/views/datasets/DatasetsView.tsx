import { lazy, Suspense, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { fitMapTo } from '../../features/map/fitView';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { addSource } from '../../features/sources/sourcesSlice';
import { layerAdded, selectAllLayers } from '../../features/map/mapSlice';
import { selectOAuthCredentials } from '../../features/oauth/oauthSlice';
import { RequireScope } from '../../features/oauth/RequireScope';
import { useLazyCreateSourceQuery, useListDatasetsQuery } from '../../api/cartoApi';
import { errorMessage } from '../../api/queryError';
import type { DatasetInfo } from '../../api/datasetsModel';
import { RequestError, RequestLoading } from '../../components/RequestState';
import { LoggedOutHint } from '../../components/LoggedOutHint';
import { addToMapButton } from '../../features/map/addToMapButton';
import {
  aggregationFor,
  clusterSource,
  datasetSource,
  isPointDataset,
  defaultStyle,
  layerKindOf,
  spatialIndexStyle,
} from './datasetLayer';

// The widget builder (and its charts) loads when a dataset's widgets are first opened.
const DatasetWidgets = lazy(() => import('../../features/widgets/builder/DatasetWidgets'));

/** CARTO's conventional unique id column: hover and selection highlight features by it. */
const ID_COLUMN = 'cartodb_id';

/** One dataset: its size and kind, and Add, which puts it on the map and zooms to it. */
function DatasetRow({
  dataset,
  onMap,
  clustersOnMap,
  colorIndex,
}: {
  dataset: DatasetInfo;
  onMap: boolean;
  /** Whether its cluster layer is on the map (point datasets). */
  clustersOnMap: boolean;
  /** Which of the dataset colours a new layer of this dataset gets. */
  colorIndex: number;
}) {
  const dispatch = useAppDispatch();
  // Spatial-index layers are classed by the value range in their TileJSON: the same request
  // the layer makes, cached by the data layer.
  const [prepare, prepared] = useLazyCreateSourceQuery();
  const [prepareClusters, preparedClusters] = useLazyCreateSourceQuery();
  const kind = layerKindOf(dataset);
  const source = datasetSource(dataset);
  const clusters = isPointDataset(dataset) ? clusterSource(dataset) : null;

  const add = async () => {
    if (!source || !kind) return;
    let style = defaultStyle(dataset.geometryType, colorIndex);
    if (kind === 'quadbin' || kind === 'h3') {
      const { data } = await prepare(source, true);
      if (!data) return; // the row says what failed, with a Retry
      style = spatialIndexStyle(data, aggregationFor(dataset).colorColumn);
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
        ...(dataset.columns.some((c) => c.name === ID_COLUMN) ? { idColumn: ID_COLUMN } : {}),
      }),
    );
    if (dataset.bounds) dispatch(fitMapTo(dataset.bounds));
  };

  // Points counted per cell by the API and merged into numbered circles by the map.
  const addClusters = async () => {
    if (!clusters) return;
    const { data } = await prepareClusters(clusters, true);
    if (!data) return; // the row says what failed, with a Retry
    dispatch(addSource(clusters));
    dispatch(
      layerAdded({
        id: `layer:${clusters.id}`,
        sourceId: clusters.id,
        kind: 'cluster',
        title: `${dataset.name} (clusters)`,
        visible: true,
        style: {
          fillColor: defaultStyle(dataset.geometryType, colorIndex).fillColor ?? [3, 111, 226, 220],
        },
      }),
    );
    if (dataset.bounds) dispatch(fitMapTo(dataset.bounds));
  };

  const pending = prepared.isFetching;
  const clustersPending = preparedClusters.isFetching;
  const addButton = addToMapButton(dataset.name, { onMap, pending });
  const failure =
    !pending && prepared.isError
      ? { error: prepared.error, retry: add }
      : !clustersPending && preparedClusters.isError
        ? { error: preparedClusters.error, retry: addClusters }
        : null;
  const [widgetsOpen, setWidgetsOpen] = useState(false);
  // Widgets summarise a table's features (spatial-index tables: not yet).
  const canHaveWidgets = onMap && kind === 'vector' && source !== null;
  const panelId = `widgets-${dataset.id}`;
  return (
    <>
      <ListItem
        secondaryAction={
          <>
            {canHaveWidgets && (
              <Button
                size="small"
                aria-expanded={widgetsOpen}
                aria-controls={panelId}
                aria-label={`Widgets of ${dataset.name}`}
                onClick={() => setWidgetsOpen(!widgetsOpen)}
              >
                Widgets
              </Button>
            )}
            {clusters && (
              <Button
                size="small"
                disabled={clustersOnMap || clustersPending}
                onClick={() => void addClusters()}
                // The visible text is part of the name (for speech input users).
                aria-label={
                  clustersOnMap
                    ? `Clustered: ${dataset.name}`
                    : clustersPending
                      ? `Adding ${dataset.name} as clusters`
                      : `Show ${dataset.name} as clusters on the map`
                }
              >
                {clustersOnMap ? 'Clustered' : clustersPending ? 'Adding…' : 'Clusters'}
              </Button>
            )}
            <Button
              size="small"
              disabled={!kind || onMap || pending}
              onClick={() => void add()}
              aria-label={addButton.label}
            >
              {addButton.text}
            </Button>
          </>
        }
        sx={{ pr: 8 + (canHaveWidgets ? 12 : 0) + (clusters ? 12 : 0) }}
      >
        <ListItemText
          primary={dataset.tableName}
          secondary={
            <>
              {`${dataset.geometryType ?? dataset.spatialDataType}${dataset.rows !== null ? ` · ${dataset.rows.toLocaleString()} rows` : ''}${kind ? '' : ' · not drawable yet'}`}
              {failure && (
                <Box component="span" role="alert" sx={{ display: 'block', color: 'error.main' }}>
                  Could not add it: {errorMessage(failure.error)}{' '}
                  <Button size="small" onClick={() => void failure.retry()}>
                    Retry
                  </Button>
                </Box>
              )}
            </>
          }
        />
      </ListItem>
      {canHaveWidgets && widgetsOpen && (
        <Box component="li" id={panelId} sx={{ listStyle: 'none' }}>
          <Suspense fallback={<RequestLoading label={`Loading the widgets of ${dataset.name}`} />}>
            <DatasetWidgets sourceId={source.id} name={dataset.name} columns={dataset.columns} />
          </Suspense>
        </Box>
      )}
    </>
  );
}

/** Lists the datasets the user may read; one click adds one to the map and zooms to it. */
export function DatasetsView() {
  const loggedIn = useAppSelector(selectOAuthCredentials) !== null;
  if (!loggedIn) return <LoggedOutHint>Log in with CARTO to see your datasets.</LoggedOutHint>;
  // The list comes through the connections, which is what `read:connections` grants: without
  // it, say so and offer to ask for it rather than fail the request.
  return (
    <RequireScope scope="read:connections">
      <DatasetList />
    </RequireScope>
  );
}

function DatasetList() {
  const datasets = useListDatasetsQuery(undefined);
  const layers = useAppSelector(selectAllLayers);
  const onMap = new Set(layers.map((l) => l.sourceId));
  // The next dataset layer takes the next colour.
  const nextColor = layers.filter((l) => l.sourceId.startsWith('dataset:')).length;
  const [search, setSearch] = useState('');

  if (datasets.isError) {
    return (
      <RequestError
        what="Could not list your datasets"
        error={datasets.error}
        onRetry={() => void datasets.refetch()}
      />
    );
  }
  if (!datasets.data) return <RequestLoading label="Loading your datasets" />;

  const all = datasets.data;
  const query = search.trim().toLowerCase();
  const shown = all.filter(
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
          {all.length === 0
            ? 'You have no datasets you can read.'
            : `No dataset matches “${search}”.`}
        </Typography>
      ) : (
        <List dense aria-label="Datasets">
          {shown.map((dataset) => (
            <DatasetRow
              key={dataset.id}
              dataset={dataset}
              onMap={onMap.has(`dataset:${dataset.id}`)}
              clustersOnMap={onMap.has(`dataset:${dataset.id}:clusters`)}
              colorIndex={nextColor}
            />
          ))}
        </List>
      )}
    </Box>
  );
}
