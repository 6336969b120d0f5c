import { lazy, Suspense } from 'react';
import Typography from '@mui/material/Typography';
import { useAppSelector } from '../../store/hooks';
import { selectLayerCount } from './mapSlice';

// The list and its controls load with the first layer (as deck.gl does), not with the map.
const LayerList = lazy(() => import('./LayerList'));

/** The layers on the map, or what to do to get one. */
export function LayersPanel() {
  const count = useAppSelector(selectLayerCount);
  if (count === 0) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
        No layers on the map yet. Add a dataset to see it here.
      </Typography>
    );
  }
  return (
    <Suspense
      fallback={
        <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
          Loading the layer list…
        </Typography>
      }
    >
      <LayerList />
    </Suspense>
  );
}
