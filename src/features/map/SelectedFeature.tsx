import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { selectAllLayers, selectionCleared, selectSelectedFeature } from './mapSlice';
import { featureFields } from './featureFormat';

/** The clicked feature's properties, until another click or Close. */
export function SelectedFeature() {
  const dispatch = useAppDispatch();
  const selected = useAppSelector(selectSelectedFeature);
  const layers = useAppSelector(selectAllLayers);
  if (!selected) return null;
  const layer = layers.find((l) => l.id === selected.layerId);
  const title = layer?.title ?? selected.layerId;
  const fields = featureFields(selected.properties, {
    max: Infinity,
    ...(layer?.idColumn ? { idColumn: layer.idColumn } : {}),
  });
  return (
    <Paper
      variant="outlined"
      sx={{ mx: 2, my: 1, p: 1.5 }}
      role="region"
      aria-label="Selected feature"
    >
      <Typography variant="subtitle2" sx={{ display: 'flex', alignItems: 'center' }}>
        <span style={{ flex: 1 }}>Selected in {title}</span>
        <IconButton
          size="small"
          aria-label="Clear selection"
          onClick={() => dispatch(selectionCleared())}
        >
          <CloseIcon fontSize="small" />
        </IconButton>
      </Typography>
      <dl
        style={{
          margin: 0,
          display: 'grid',
          gridTemplateColumns: 'auto 1fr',
          columnGap: 8,
          fontSize: 13,
        }}
      >
        {fields.map(({ name, value }) => (
          <div key={name} style={{ display: 'contents' }}>
            <dt style={{ color: 'var(--text-muted)' }}>{name}</dt>
            <dd style={{ margin: 0, overflowWrap: 'anywhere' }}>{value}</dd>
          </div>
        ))}
      </dl>
    </Paper>
  );
}
