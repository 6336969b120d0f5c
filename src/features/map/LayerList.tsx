/**
 * The layers on the map, top first (the list order is the drawing order): show/hide, drag or
 * arrow keys to reorder, zoom to, style and rename, remove; a progress bar while a layer's
 * data loads, and what failed with a Retry. A chunk of its own, loaded with the first layer.
 */
import { lazy, Suspense, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlineOutlined';
import DragIndicatorIcon from '@mui/icons-material/DragIndicator';
import TuneIcon from '@mui/icons-material/Tune';
import ZoomInMapIcon from '@mui/icons-material/ZoomInMap';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import {
  featureBrowsingStarted,
  layerMoved,
  layerRemoved,
  layerUpdated,
  selectAllLayers,
  type LayerConfig,
} from './mapSlice';
import { Legend } from './Legend';
import { layerStatus, retryLayer } from './layers/layerStatus';
import { zoomToLayer } from './zoomToLayer';

const LayerSettings = lazy(() => import('./LayerSettings'));

interface RowProps {
  layer: LayerConfig;
  /** Position in the list, 0 = top. */
  position: number;
  count: number;
  loading: boolean;
  failure: string | undefined;
  dropTarget: boolean;
  settingsOpen: boolean;
  onToggleSettings: () => void;
  onMove: (position: number) => void;
  drag: {
    onDragStart: (event: DragEvent) => void;
    onDragOver: (event: DragEvent) => void;
    onDrop: (event: DragEvent) => void;
    onDragEnd: () => void;
  };
}

function LayerRow(props: RowProps) {
  const { layer, position, count, loading, failure, settingsOpen } = props;
  const dispatch = useAppDispatch();
  const [zoomProblem, setZoomProblem] = useState<string | null>(null);

  const zoom = async () => {
    setZoomProblem(await dispatch(zoomToLayer(layer.id)));
  };
  // Arrow keys on the handle move the layer up or down the list, Home/End to top or bottom.
  const onHandleKey = (event: KeyboardEvent) => {
    const to = {
      ArrowUp: position - 1,
      ArrowDown: position + 1,
      Home: 0,
      End: count - 1,
    }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    if (to >= 0 && to < count && to !== position) props.onMove(to);
  };

  return (
    <ListItem
      draggable
      {...props.drag}
      data-layer-id={layer.id}
      sx={{
        display: 'block',
        py: 0.5,
        pl: 0.5,
        pr: 1,
        borderTop: 2,
        borderColor: props.dropTarget ? 'primary.main' : 'transparent',
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', minWidth: 0 }}>
        <IconButton
          size="small"
          id={`layer-handle-${layer.id}`}
          title="Drag, or press the arrow keys, to move the layer"
          aria-label={`Move ${layer.title}: position ${position + 1} of ${count}, from the top`}
          onKeyDown={onHandleKey}
          sx={{ cursor: 'grab' }}
        >
          <DragIndicatorIcon fontSize="small" />
        </IconButton>
        <Switch
          size="small"
          checked={layer.visible}
          onChange={(_, visible) => dispatch(layerUpdated({ id: layer.id, visible }))}
          slotProps={{ input: { 'aria-label': `Show ${layer.title}` } }}
        />
        {/* The name starts keyboard browsing of the layer's features in view (FeatureBrowser). */}
        <Box
          component="button"
          type="button"
          id={`layer-title-${layer.id}`}
          title="Browse its features in view with the arrow keys"
          aria-label={`${layer.title}: browse its features in view`}
          disabled={!layer.visible}
          onClick={() => dispatch(featureBrowsingStarted(layer.id))}
          sx={{
            flex: 1,
            minWidth: 0,
            p: 0,
            border: 0,
            background: 'none',
            font: 'inherit',
            fontSize: 14,
            textAlign: 'left',
            cursor: layer.visible ? 'pointer' : 'default',
            overflow: 'hidden',
            textOverflow: 'ellipsis',
            whiteSpace: 'nowrap',
            color: layer.visible ? 'text.primary' : 'text.disabled',
            '&:hover:enabled': { textDecoration: 'underline' },
          }}
        >
          {layer.title}
        </Box>
        {/* Native tooltips: MUI's Tooltip would bring Popper.js for these hints. */}
        <IconButton
          size="small"
          title="Zoom to layer"
          aria-label={`Zoom to ${layer.title}`}
          onClick={() => void zoom()}
        >
          <ZoomInMapIcon fontSize="small" />
        </IconButton>
        <IconButton
          size="small"
          title="Style and name"
          aria-label={`Style and name of ${layer.title}`}
          aria-expanded={settingsOpen}
          aria-controls={`layer-settings-${layer.id}`}
          color={settingsOpen ? 'primary' : 'default'}
          onClick={props.onToggleSettings}
        >
          <TuneIcon fontSize="small" />
        </IconButton>
        <IconButton
          size="small"
          title="Remove layer"
          aria-label={`Remove ${layer.title}`}
          onClick={() => dispatch(layerRemoved(layer.id))}
        >
          <DeleteOutlineIcon fontSize="small" />
        </IconButton>
      </Box>
      {/* The platform's own indeterminate bar: a progressbar to assistive tech, no code to load. */}
      {loading && (
        <Box
          component="progress"
          aria-label={`Loading ${layer.title}`}
          sx={{ display: 'block', width: 'calc(100% - 16px)', height: 4, mx: 1, my: 0.5 }}
        />
      )}
      {failure && (
        <Typography role="alert" variant="caption" component="p" color="error" sx={{ px: 1 }}>
          {layer.title} could not be loaded: {failure}{' '}
          <Button size="small" onClick={() => retryLayer(layer.id)}>
            Retry
          </Button>
        </Typography>
      )}
      {zoomProblem && (
        <Typography role="alert" variant="caption" component="p" color="error" sx={{ px: 1 }}>
          {zoomProblem}
        </Typography>
      )}
      <Box sx={{ pl: 5 }}>
        <Legend layer={layer} />
      </Box>
      {settingsOpen && (
        <Box id={`layer-settings-${layer.id}`} sx={{ pl: 1, pr: 0.5, pt: 1 }}>
          <Suspense
            fallback={
              <Typography variant="caption" color="text.secondary">
                Loading the style options…
              </Typography>
            }
          >
            <LayerSettings layer={layer} />
          </Suspense>
        </Box>
      )}
    </ListItem>
  );
}

export default function LayerList() {
  const dispatch = useAppDispatch();
  const layers = useAppSelector(selectAllLayers);
  const status = useSyncExternalStore(layerStatus.subscribe, layerStatus.get);
  const [settingsOf, setSettingsOf] = useState<string | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [dropOn, setDropOn] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const refocus = useRef<string | null>(null);
  // Top first: the last drawn is listed first.
  const shown = [...layers].reverse();
  const count = shown.length;

  const move = (id: string, position: number) => {
    const layer = layers.find((l) => l.id === id);
    if (!layer) return;
    dispatch(layerMoved({ id, index: count - 1 - position }));
    setAnnouncement(`${layer.title} moved to position ${position + 1} of ${count}.`);
    refocus.current = id;
  };
  // A moved row is a moved DOM node: its handle keeps the focus for the next key press.
  useEffect(() => {
    if (!refocus.current) return;
    document.getElementById(`layer-handle-${refocus.current}`)?.focus();
    refocus.current = null;
  });

  const dragHandlers = (layer: LayerConfig, position: number) => ({
    onDragStart: (event: DragEvent) => {
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', layer.title);
      setDragged(layer.id);
    },
    onDragOver: (event: DragEvent) => {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      setDropOn(layer.id);
    },
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      if (dragged && dragged !== layer.id) move(dragged, position);
      setDragged(null);
      setDropOn(null);
    },
    onDragEnd: () => {
      setDragged(null);
      setDropOn(null);
    },
  });

  return (
    <>
      <List dense aria-label="Map layers, top first" sx={{ py: 0 }}>
        {shown.map((layer, position) => (
          <LayerRow
            key={layer.id}
            layer={layer}
            position={position}
            count={count}
            loading={layer.visible && status.loading.has(layer.id)}
            failure={status.failed[layer.id]}
            dropTarget={dropOn === layer.id && dragged !== layer.id}
            settingsOpen={settingsOf === layer.id}
            onToggleSettings={() => setSettingsOf(settingsOf === layer.id ? null : layer.id)}
            onMove={(to) => move(layer.id, to)}
            drag={dragHandlers(layer, position)}
          />
        ))}
      </List>
      <Box aria-live="polite" className="visually-hidden">
        {announcement}
      </Box>
    </>
  );
}
