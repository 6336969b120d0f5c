import Typography from '@mui/material/Typography';
import { useAppSelector } from '../../store/hooks';
import { selectViewState } from './mapSlice';

const formatLat = (lat: number) => `${Math.abs(lat).toFixed(3)}° ${lat >= 0 ? 'N' : 'S'}`;
const formatLng = (lng: number) => `${Math.abs(lng).toFixed(3)}° ${lng >= 0 ? 'E' : 'W'}`;

/** The view the store holds (updated when the map settles). */
export function ViewStateReadout() {
  const { latitude, longitude, zoom } = useAppSelector(selectViewState);
  return (
    <Typography
      variant="caption"
      color="text.secondary"
      component="p"
      aria-label="Map view"
      data-testid="view-state"
      data-latitude={latitude}
      data-longitude={longitude}
      data-zoom={zoom}
    >
      {formatLat(latitude)}, {formatLng(longitude)} · zoom {zoom.toFixed(2)}
    </Typography>
  );
}
