import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlineOutlined';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import {
  layerRemoved,
  layerUpdated,
  selectAllLayers,
  type LayerConfig,
  type RGBA,
} from './mapSlice';
import { binLabels, DEFAULT_FILL } from './layers/layerStyle';

const css = ([r, g, b, a]: RGBA) => `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;

/** The layer's entries: one per category, one per class, or the layer's one colour. */
function legendEntries(layer: LayerConfig): [string, RGBA][] {
  const { colorBy, colorBins, fillColor, lineColor } = layer.style;
  if (colorBy) {
    return colorBy.domain.map((name, i) => [
      name,
      colorBy.colors[i % colorBy.colors.length] ?? DEFAULT_FILL,
    ]);
  }
  if (colorBins) {
    return binLabels(colorBins.thresholds).map((label, i) => [
      label,
      colorBins.colors[i] ?? DEFAULT_FILL,
    ]);
  }
  return [[layer.title, fillColor ?? lineColor ?? DEFAULT_FILL]];
}

/** The layer's legend: one swatch, or one per category or class. */
function Legend({ layer }: { layer: LayerConfig }) {
  const entries = legendEntries(layer);
  const caption = layer.style.colorBy?.column ?? layer.style.colorBins?.column;
  return (
    <ul
      aria-label={`Legend of ${layer.title}`}
      style={{ listStyle: 'none', margin: '2px 0 0', padding: 0, fontSize: 12 }}
    >
      {caption && <li style={{ fontStyle: 'italic' }}>{caption}</li>}
      {entries.map(([name, color]) => (
        <li key={name} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
          <span
            aria-hidden
            style={{
              width: 10,
              height: 10,
              borderRadius: 5,
              background: css(color),
              display: 'inline-block',
            }}
          />
          {name}
        </li>
      ))}
    </ul>
  );
}

/** The layers on the map: show/hide and remove each. */
export function LayersPanel() {
  const dispatch = useAppDispatch();
  const layers = useAppSelector(selectAllLayers);

  if (layers.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
        No layers on the map yet. Add a dataset to see it here.
      </Typography>
    );
  }
  return (
    <List dense aria-label="Map layers">
      {layers.map((layer) => (
        <ListItem
          key={layer.id}
          alignItems="flex-start"
          secondaryAction={
            // A native tooltip: MUI's Tooltip would bring Popper.js (10 kB) for this one hint.
            <IconButton
              edge="end"
              title="Remove layer"
              aria-label={`Remove ${layer.title}`}
              onClick={() => dispatch(layerRemoved(layer.id))}
            >
              <DeleteOutlineIcon fontSize="small" />
            </IconButton>
          }
        >
          <Switch
            size="small"
            checked={layer.visible}
            onChange={(_, visible) => dispatch(layerUpdated({ id: layer.id, visible }))}
            slotProps={{ input: { 'aria-label': `Show ${layer.title}` } }}
          />
          <ListItemText
            primary={layer.title}
            secondary={<Legend layer={layer} />}
            slotProps={{ secondary: { component: 'div' } }}
          />
        </ListItem>
      ))}
    </List>
  );
}
