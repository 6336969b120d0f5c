import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import type { WidgetModel } from '../../../api/widgetArgs';
import type { WidgetResult } from '../useWidget';

interface Props {
  title: string;
  /** What `useWidget` gave: its status, error and refetch (the Retry). */
  widget: Pick<WidgetResult<WidgetModel>, 'status' | 'error' | 'refetch'>;
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
export function WidgetCard({ title, widget, empty, actions, children }: Props) {
  const { status, error, refetch } = widget;
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
          <Button size="small" onClick={refetch}>
            Retry
          </Button>
        </Typography>
      ) : first ? (
        <Box role="progressbar" aria-label={`Loading ${title}`}>
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
