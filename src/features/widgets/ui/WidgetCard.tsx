import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import type { CartoQueryError } from '../../../api/cartoApi';
import type { WidgetStatus } from '../useWidget';

interface Props {
  title: string;
  status: WidgetStatus;
  error: CartoQueryError | undefined;
  onRetry: () => void;
  /** Whether the answer has nothing to show (no features in view). */
  empty: boolean;
  /** Shown next to the title when the widget filters the map (e.g. "Clear"). */
  actions?: ReactNode;
  children: ReactNode;
}

/**
 * A widget's frame and states: a skeleton until the first answer, what failed with a Retry,
 * "No features in view" for an empty answer; a newer answer loading keeps the last one shown.
 */
export function WidgetCard({ title, status, error, onRetry, empty, actions, children }: Props) {
  const first = status === 'loading' && empty;
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={title}
      aria-busy={status === 'loading'}
      sx={{ p: 1.5 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', minHeight: 28 }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
          {title}
        </Typography>
        {actions}
      </Box>
      {status === 'error' ? (
        <Typography role="alert" variant="body2" color="error">
          Could not load {title.toLowerCase()}: {error?.message ?? 'unknown error'}{' '}
          <Button size="small" onClick={onRetry}>
            Retry
          </Button>
        </Typography>
      ) : first ? (
        <Box aria-label={`Loading ${title}`}>
          <Skeleton height={24} />
          <Skeleton height={24} width="70%" />
        </Box>
      ) : empty && status === 'success' ? (
        <Typography variant="body2" color="text.secondary">
          No features in view.
        </Typography>
      ) : (
        <Box sx={{ opacity: status === 'loading' ? 0.6 : 1, transition: 'opacity 150ms' }}>
          {children}
        </Box>
      )}
    </Paper>
  );
}
