import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Switch from '@mui/material/Switch';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlineOutlined';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { layerRemoved, layerUpdated, selectAllLayers } from './mapSlice';

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
          secondaryAction={
            <Tooltip title="Remove layer">
              <IconButton
                edge="end"
                aria-label={`Remove ${layer.title}`}
                onClick={() => dispatch(layerRemoved(layer.id))}
              >
                <DeleteOutlineIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          }
        >
          <Switch
            size="small"
            checked={layer.visible}
            onChange={(_, visible) => dispatch(layerUpdated({ id: layer.id, visible }))}
            slotProps={{ input: { 'aria-label': `Show ${layer.title}` } }}
          />
          <ListItemText primary={layer.title} secondary={layer.sourceId} />
        </ListItem>
      ))}
    </List>
  );
}
