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
import { viewForBounds } from '../map/fitView';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { addSource } from '../sources/sourcesSlice';
import { layerAdded, selectAllLayers, viewStateChanged, type LayerStyle } from '../map/mapSlice';
import { useDatasets } from './useDatasets';
import type { DatasetInfo } from './datasetsModel';

const POINT_STYLE: LayerStyle = {
  fillColor: [3, 111, 226, 220],
  lineColor: [255, 255, 255, 200],
  pointRadius: 3,
  lineWidth: 0.5,
};
const POLYGON_STYLE: LayerStyle = {
  fillColor: [71, 219, 153, 90],
  lineColor: [20, 120, 80, 255],
  lineWidth: 1,
};
const LINE_STYLE: LayerStyle = { lineColor: [230, 80, 40, 255], lineWidth: 2 };

/** A sensible first style per geometry type. */
export function defaultStyle(geometryType: string | null): LayerStyle {
  if (geometryType?.includes('Polygon')) return POLYGON_STYLE;
  if (geometryType?.includes('Line')) return LINE_STYLE;
  return POINT_STYLE;
}

/** Lists the datasets the user may read; one click adds one to the map and zooms to it. */
export function DatasetsView() {
  const dispatch = useAppDispatch();
  const { state, retry, loggedIn } = useDatasets();
  const onMap = new Set(useAppSelector(selectAllLayers).map((l) => l.sourceId));
  const [search, setSearch] = useState('');

  const add = (dataset: DatasetInfo) => {
    const sourceId = `dataset:${dataset.id}`;
    dispatch(
      addSource({
        id: sourceId,
        type: 'table',
        connection: dataset.connection,
        data: dataset.tableName,
      }),
    );
    dispatch(
      layerAdded({
        id: `layer:${dataset.id}`,
        sourceId,
        kind: 'vector',
        title: dataset.name,
        visible: true,
        style: defaultStyle(dataset.geometryType),
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
            const drawable = dataset.spatialDataType === 'geo';
            const added = onMap.has(`dataset:${dataset.id}`);
            return (
              <ListItem
                key={dataset.id}
                secondaryAction={
                  <Button
                    size="small"
                    disabled={!drawable || added}
                    onClick={() => add(dataset)}
                    aria-label={`Add ${dataset.name} to the map`}
                  >
                    {added ? 'On map' : 'Add'}
                  </Button>
                }
              >
                <ListItemText
                  primary={dataset.tableName}
                  secondary={`${dataset.geometryType ?? dataset.spatialDataType}${dataset.rows !== null ? ` · ${dataset.rows.toLocaleString('en-US')} rows` : ''}${drawable ? '' : ' · not drawable yet'}`}
                />
              </ListItem>
            );
          })}
        </List>
      )}
    </Box>
  );
}
