import { useEffect, useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { skipToken } from '@reduxjs/toolkit/query';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import {
  selectLastClick,
  selectSelectedFeature,
  type LayerConfig,
  type MapClick,
  type SelectedFeature,
} from '../../features/map/mapSlice';
import { STORES_SOURCE } from '../../data/sources';
import { fitMapTo } from '../../features/map/fitView';
import { bboxOf } from '../../../protocol/geojson';
import { RequireScope } from '../../features/oauth/RequireScope';
import { selectHasCartoSession } from '../../features/oauth/oauthSlice';
import { LayerRemovedNotice } from '../../components/LayerRemovedNotice';
import { LoggedOutHint } from '../../components/LoggedOutHint';
import { useIsolinesQuery } from '../../api/cartoApi';
import { useAbortSuperseded } from '../../api/useAbortSuperseded';
import { RequestError, RequestLoading } from '../../components/RequestState';
import { useViewLayers } from '../../features/map/useViewLayers';
import type { SourceDescriptor } from '../../features/sources/sourcesSlice';
import type { TravelMode } from '../../api/isochroneModel';

const MINUTES = [5, 10, 15, 20, 30];
const LAYER: LayerConfig = {
  id: 'isochrone-layer',
  sourceId: 'isochrone',
  kind: 'geojson',
  title: 'Isochrone',
  visible: true,
  style: { fillColor: [231, 63, 116, 70], lineColor: [231, 63, 116, 255], lineWidth: 2 },
};

/** The stores, as origins one can click (drawn above the isochrone, which stays below). */
const ORIGINS_LAYER: LayerConfig = {
  id: 'isochrone-origins',
  sourceId: STORES_SOURCE.id,
  kind: 'vector',
  title: 'Stores',
  visible: true,
  idColumn: 'cartodb_id',
  style: { pointRadius: 4, fillColor: [0, 112, 120, 230], lineColor: [255, 255, 255, 230] },
};

interface Origin {
  seq: number;
  longitude: number;
  latitude: number;
  /** The store's name when the click was on a store. */
  name: string | null;
}

/**
 * Where the area starts. A click on a store selects it too (deck.gl picking): then the area
 * starts at the store itself, which may be a few pixels from the click. The selection can land
 * a render after the click: the origin (and the request's key) changes, and the first request
 * is aborted.
 */
function originOf(click: MapClick | null, selected: SelectedFeature | null): Origin | null {
  if (!click) return null;
  const store = selected?.layerId === ORIGINS_LAYER.id ? selected : null;
  if (!store?.position) return { ...click, name: null };
  const name = store.properties.name;
  return {
    seq: click.seq,
    longitude: store.position[0],
    latitude: store.position[1],
    name: typeof name === 'string' ? name : null,
  };
}

function IsochroneTool() {
  const dispatch = useAppDispatch();
  const click = useAppSelector(selectLastClick);
  const selected = useAppSelector(selectSelectedFeature);
  const origins = useViewLayers(STORES_SOURCE, ORIGINS_LAYER);
  const [mode, setMode] = useState<TravelMode>('walk');
  const [minutes, setMinutes] = useState(15);
  const [startSeq] = useState(click?.seq ?? 0);
  // Only clicks made while this view is open count.
  const point = useMemo(
    () => originOf(click && click.seq > startSeq ? click : null, selected),
    [click, selected, startSeq],
  );
  const args = useMemo(
    () => (point ? { lng: point.longitude, lat: point.latitude, mode, minutes } : skipToken),
    [point, mode, minutes],
  );
  const area = useIsolinesQuery(args);
  // A newer click or setting cancels the request in flight.
  useAbortSuperseded('isolines', args);
  const collection = area.isFetching ? undefined : area.data;

  // Show the whole area once it arrives: at a world view a 30-minute drive is under a pixel.
  useEffect(() => {
    const bounds = collection ? bboxOf(collection.features.map((f) => f.geometry)) : null;
    if (bounds) dispatch(fitMapTo(bounds, { maxZoom: 14 }));
  }, [collection, dispatch]);

  const source = useMemo<SourceDescriptor | null>(
    () =>
      collection
        ? { id: 'isochrone', type: 'geojson', connection: '', data: JSON.stringify(collection) }
        : null,
    [collection],
  );
  useViewLayers(source, source ? LAYER : null);

  return (
    <Box sx={{ px: 2, py: 1, display: 'grid', gap: 1.5 }}>
      <Box sx={{ display: 'flex', gap: 1 }}>
        <TextField
          select
          size="small"
          label="Travel mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as TravelMode)}
          sx={{ flex: 1 }}
        >
          <MenuItem value="walk">Walking</MenuItem>
          <MenuItem value="car">Driving</MenuItem>
        </TextField>
        <TextField
          select
          size="small"
          label="Minutes"
          value={minutes}
          onChange={(e) => setMinutes(Number(e.target.value))}
          sx={{ width: 110 }}
        >
          {MINUTES.map((m) => (
            <MenuItem key={m} value={m}>
              {m} min
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {!origins.onMap && (
        <LayerRemovedNotice title={ORIGINS_LAYER.title} onAddBack={origins.addBack} />
      )}
      {area.isFetching && <RequestLoading label="Computing isochrone" />}
      {collection && point && (
        <Typography variant="body2" color="text.secondary" data-testid="isochrone-result">
          {minutes} min {mode === 'walk' ? 'walking' : 'driving'} from{' '}
          {point.name ?? `${point.latitude.toFixed(4)}, ${point.longitude.toFixed(4)}`}
        </Typography>
      )}
      {area.isError && (
        <RequestError
          what="Could not compute the isochrone"
          error={area.error}
          onRetry={() => void area.refetch()}
        />
      )}
    </Box>
  );
}

/**
 * Isochrones need a login and the isolines data service: without them, the view says so. An
 * expired session keeps the view, its origin and its area until the user logs in again.
 */
export function IsochroneView() {
  const loggedIn = useAppSelector(selectHasCartoSession);
  if (!loggedIn)
    return (
      <LoggedOutHint>
        Log in with CARTO to see the area reachable from a point or a store.
      </LoggedOutHint>
    );
  return (
    <RequireScope scope="dataservices:isolines">
      <IsochroneTool />
    </RequireScope>
  );
}
