import type { SerializedError } from '@reduxjs/toolkit';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import type { CartoQueryError } from '../api/cartoApi';
import { errorMessage } from '../api/queryError';

/** A request in flight: a spinner and what is loading (announced to screen readers). */
export function RequestLoading({ label }: { label: string }) {
  return (
    <Box
      sx={{ px: 2, py: 1, display: 'flex', gap: 1, alignItems: 'center' }}
      role="progressbar"
      aria-label={label}
    >
      <CircularProgress size={16} aria-hidden />
      <Typography variant="body2">{label}…</Typography>
    </Box>
  );
}

/** A failed request: what failed, CARTO's reason, and a Retry that asks again. */
export function RequestError({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: CartoQueryError | SerializedError | undefined;
  onRetry: () => void;
}) {
  return (
    <Alert
      severity="error"
      sx={{ mx: 2 }}
      action={
        <Button color="inherit" size="small" onClick={onRetry}>
          Retry
        </Button>
      }
    >
      {what}: <span style={{ whiteSpace: 'pre-wrap' }}>{errorMessage(error)}</span>
    </Alert>
  );
}
