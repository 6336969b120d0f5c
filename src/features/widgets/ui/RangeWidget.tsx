import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Slider from '@mui/material/Slider';
import Typography from '@mui/material/Typography';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { filterAdded, filterRemoved } from '../widgetsSlice';
import { useWidget } from '../useWidget';
import { formatNumber } from './format';
import { WidgetCard } from './WidgetCard';

interface Props {
  id: string;
  sourceId: string;
  title: string;
  column: string;
}

/**
 * A min–max filter on a numeric column: the slider spans the values in view (the other
 * widgets' filters applied, its own not); releasing it filters the map and the other widgets.
 */
export function RangeWidget({ id, sourceId, title, column }: Props) {
  const dispatch = useAppDispatch();
  const widget = useWidget(sourceId, id, 'range', { column });
  const { data } = widget;
  const own = useAppSelector((state) => state.widgets.filters[sourceId]?.[column]?.between);
  const applied = own?.owner === id ? own.values[0] : undefined;
  const [dragging, setDragging] = useState<number[] | null>(null);

  const min = typeof data?.min === 'number' ? data.min : null;
  const max = typeof data?.max === 'number' ? data.max : null;
  const full = min !== null && max !== null && max > min;
  const value = dragging ?? (applied && full ? applied : full ? [min, max] : [0, 0]);

  const commit = (next: number[]) => {
    setDragging(null);
    const [low = 0, high = 0] = next;
    if (!full || (low <= min && high >= max))
      dispatch(filterRemoved({ sourceId, column, owner: id }));
    else
      dispatch(
        filterAdded({ sourceId, column, type: 'between', values: [[low, high]], owner: id }),
      );
  };

  return (
    <WidgetCard
      title={title}
      widget={widget}
      empty={data === undefined || data === null}
      actions={
        applied && (
          <Button
            size="small"
            onClick={() => dispatch(filterRemoved({ sourceId, column, owner: id }))}
          >
            Clear
          </Button>
        )
      }
    >
      {full ? (
        <Box sx={{ px: 1 }}>
          <Slider
            size="small"
            min={min}
            max={max}
            step={Math.max((max - min) / 100, Number.EPSILON)}
            value={value}
            onChange={(_, next) => setDragging(next)}
            onChangeCommitted={(_, next) => commit(next)}
            getAriaLabel={(index) => (index === 0 ? `${title}: from` : `${title}: to`)}
            getAriaValueText={(v) => formatNumber(v)}
            disableSwap
          />
          <Typography variant="caption" color="text.secondary" component="p">
            {formatNumber(value[0] ?? min)} – {formatNumber(value[1] ?? max)} of {formatNumber(min)}{' '}
            – {formatNumber(max)} in view
          </Typography>
        </Box>
      ) : (
        <Typography variant="body2" color="text.secondary">
          {min === null ? 'No values in view.' : `Every value in view is ${formatNumber(min)}.`}
        </Typography>
      )}
    </WidgetCard>
  );
}
