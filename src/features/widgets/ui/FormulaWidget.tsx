import { useState } from 'react';
import Typography from '@mui/material/Typography';
import type { WidgetParams } from '../../../api/widgetArgs';
import { useWidget } from '../useWidget';
import { formatNumber, type NumberFormat } from './format';
import { WidgetCard } from './WidgetCard';

interface Props extends NumberFormat {
  id: string;
  sourceId: string;
  title: string;
  params: WidgetParams['formula'];
}

/** One number over the features in view (count, sum, avg, min, max) and its change. */
export function FormulaWidget({ id, sourceId, title, params, ...format }: Props) {
  const widget = useWidget(sourceId, id, 'formula', params);
  const { data, status } = widget;
  // The value for the previous view, to say how this one differs.
  const [seen, setSeen] = useState<{ current: number | null; previous: number | null }>({
    current: null,
    previous: null,
  });
  const value = data?.value ?? null;
  // A new answer: the one before it becomes the previous view's (React's "state from the
  // previous render" pattern).
  if (status === 'success' && value !== seen.current) {
    setSeen({ previous: seen.current, current: value });
  }
  const { previous } = seen;
  const change =
    value !== null && previous !== null && previous !== 0 ? (value - previous) / previous : null;
  return (
    <WidgetCard title={title} widget={widget} empty={data === undefined}>
      <Typography variant="h5" component="p">
        {value === null ? '—' : formatNumber(value, format)}
      </Typography>
      {change !== null && Math.abs(change) >= 0.0005 && (
        <Typography variant="caption" color={change > 0 ? 'success.main' : 'error.main'}>
          {change > 0 ? '▲' : '▼'}{' '}
          {formatNumber(Math.abs(change) * 100, {
            compact: false,
            options: { maximumFractionDigits: 1 },
          })}
          % from before
        </Typography>
      )}
    </WidgetCard>
  );
}
