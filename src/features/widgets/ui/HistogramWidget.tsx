import { useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Slider from '@mui/material/Slider';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { BarChart } from '@mui/x-charts/BarChart';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { filterAdded, filterRemoved } from '../widgetsSlice';
import { useWidget } from '../useWidget';
import { formatNumber } from './format';
import { WidgetCard } from './WidgetCard';
import { ChartSelect } from './ChartSelect';

interface Props {
  id: string;
  sourceId: string;
  title: string;
  column: string;
  /** How many bars between the lowest and the highest value in view, at first. */
  bins?: number;
}

const BIN_CHOICES = [5, 10, 15, 20, 30].map((n) => ({ value: n, label: `${n} bins` }));

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Equal-width bins over [min, max]: the breaks between them (bins − 1 of them). */
function binTicks(min: number, max: number, bins: number): number[] {
  if (!(max > min) || bins < 2) return [];
  const step = (max - min) / bins;
  return Array.from({ length: bins - 1 }, (_, i) => min + step * (i + 1));
}

/**
 * How a numeric column's values in view are spread: the counts in view over equal-width bars
 * that span the column's whole range (the other widgets' filters applied, not the view), so
 * the bars stay put when the map pans: views compare bar by bar, a selected run of bars stays
 * lined up with its filter, and a pan takes one request (the range is cached). Clicking a bar filters the map and the other widgets
 * by its interval; shift-click, or dragging the handles under the bars, selects a run of
 * bars. Clicking the only selected bar again, or Clear, removes the filter.
 */
export function HistogramWidget({ id, sourceId, title, column, bins: initialBins = 10 }: Props) {
  const dispatch = useAppDispatch();
  const theme = useTheme();
  const [bins, setBins] = useState(initialBins);
  // The range (one small request, the same for every view), then the counts in view over it.
  const range = useWidget(sourceId, id, 'range', { column }, { viewportFilter: false });
  const min = typeof range.data?.min === 'number' ? range.data.min : null;
  const max = typeof range.data?.max === 'number' ? range.data.max : null;
  const ticks = useMemo(
    () => (min !== null && max !== null ? binTicks(min, max, bins) : []),
    [bins, max, min],
  );
  const counts = useWidget(
    sourceId,
    id,
    'histogram',
    { column, ticks, operation: 'count' },
    // Only over the range for the same filters: never the bins of other filters' range.
    { enabled: ticks.length > 0 && range.status === 'success' },
  );
  // While the next answer loads, the last bars stay (dimmed), not a skeleton.
  const [shown, setShown] = useState<{ edges: number[]; data: number[] } | null>(null);
  if (counts.status === 'success' && counts.data && shown?.data !== counts.data) {
    setShown({
      edges: min !== null && max !== null ? [min, ...ticks, max] : [],
      data: counts.data,
    });
  }
  const own = useAppSelector((state) => state.widgets.filters[sourceId]?.[column]);
  const selected =
    own?.closed_open?.owner === id
      ? own.closed_open.values[0]
      : own?.between?.owner === id
        ? own.between.values[0]
        : undefined;

  const edges = shown?.edges ?? [];
  const data = shown?.data ?? [];
  // The selected bars, as indexes [first, last], when the filter lines up with the bars shown.
  const first = selected ? edges.findIndex((edge) => edge === selected[0]) : -1;
  const end = selected ? edges.findIndex((edge) => edge === selected[1]) : -1;
  const selection = first >= 0 && end > first ? ([first, end - 1] as const) : null;

  // The handles while they are dragged: the filter changes when they are let go.
  const [dragging, setDragging] = useState<number[] | null>(null);
  const brushed: readonly [number, number] | null = dragging
    ? [dragging[0] ?? 0, (dragging[1] ?? 1) - 1]
    : selection;

  const clear = () => dispatch(filterRemoved({ sourceId, column, owner: id }));
  const selectBars = (from: number, to: number) => {
    const low = edges[Math.min(from, to)];
    const high = edges[Math.max(from, to) + 1];
    if (low === undefined || high === undefined) return;
    // Every bar: no filter at all.
    if (Math.min(from, to) === 0 && Math.max(from, to) === edges.length - 2) {
      clear();
      return;
    }
    clear();
    // A run that ends with the last bar includes the highest value.
    dispatch(
      Math.max(from, to) === edges.length - 2
        ? filterAdded({ sourceId, column, type: 'between', values: [[low, high]], owner: id })
        : filterAdded({ sourceId, column, type: 'closed_open', values: [[low, high]], owner: id }),
    );
  };
  const clickBar = (index: number, extend: boolean) => {
    if (extend && selection) selectBars(selection[0], index);
    else if (selection?.[0] === index && selection[1] === index) clear();
    else selectBars(index, index);
  };
  const status =
    range.status === 'error' || counts.status === 'error'
      ? 'error'
      : range.status === 'loading' ||
          counts.status === 'loading' ||
          // The range is in and the counts over it are about to be asked for.
          (counts.status === 'idle' && ticks.length > 0)
        ? 'loading'
        : counts.status;
  const barLabel = (index: number) =>
    `${formatNumber(edges[index] ?? 0)} – ${formatNumber(edges[index + 1] ?? 0)}`;

  return (
    <WidgetCard
      title={title}
      widget={{
        status,
        error: range.error ?? counts.error,
        refetch: () => {
          range.refetch();
          counts.refetch();
        },
      }}
      empty={sum(data) === 0}
      actions={
        <>
          <ChartSelect
            label={`${title}: number of bins`}
            value={bins}
            options={BIN_CHOICES}
            onChange={(next) => {
              clear();
              setBins(next);
            }}
          />
          {selected && (
            <Button size="small" onClick={clear}>
              Clear
            </Button>
          )}
        </>
      }
    >
      <BarChart
        height={150}
        margin={{ left: 0, right: 4, top: 8, bottom: 0 }}
        xAxis={[
          {
            scaleType: 'band',
            data: data.map((_, index) => index),
            valueFormatter: (index: number, context) =>
              context.location === 'tick' ? formatNumber(edges[index] ?? 0) : barLabel(index),
            tickLabelStyle: { fontSize: 10 },
          },
        ]}
        yAxis={[{ width: 44, valueFormatter: (v: number) => formatNumber(v, { compact: true }) }]}
        series={[
          {
            data,
            valueFormatter: (v) => (v === null ? '' : formatNumber(v)),
            label: 'Features',
            colorGetter: ({ dataIndex }) =>
              !brushed || (dataIndex >= brushed[0] && dataIndex <= brushed[1])
                ? theme.palette.primary.main
                : theme.palette.action.disabled,
          },
        ]}
        hideLegend
        onItemClick={(event, item) => clickBar(item.dataIndex, event.shiftKey)}
        aria-hidden
      />
      {/* The brush: drag either handle (or use the arrow keys) to select a run of bars. */}
      {edges.length > 1 && (
        <Box sx={{ px: 1.5 }}>
          <Slider
            size="small"
            min={0}
            max={edges.length - 1}
            step={1}
            marks
            value={
              dragging ?? (selection ? [selection[0], selection[1] + 1] : [0, edges.length - 1])
            }
            onChange={(_, next) => setDragging(next)}
            onChangeCommitted={(_, next) => {
              setDragging(null);
              const [from = 0, to = 1] = next;
              if (to > from) selectBars(from, to - 1);
            }}
            getAriaLabel={(index) => (index === 0 ? `${title}: from` : `${title}: to`)}
            getAriaValueText={(index) => formatNumber(edges[index] ?? 0)}
            valueLabelDisplay="auto"
            valueLabelFormat={(index) => formatNumber(edges[index] ?? 0)}
            disableSwap
          />
        </Box>
      )}
      <Typography variant="caption" color="text.secondary" component="p">
        {brushed
          ? `${selection && !dragging ? 'Filtering by' : 'Selecting'} ${formatNumber(edges[brushed[0]] ?? 0)} – ${formatNumber(edges[brushed[1] + 1] ?? 0)}: ${formatNumber(sum(data.slice(brushed[0], brushed[1] + 1)))} features.`
          : `${formatNumber(sum(data))} features from ${formatNumber(edges[0] ?? 0)} to ${formatNumber(edges.at(-1) ?? 0)}. Click a bar to filter.`}
      </Typography>
    </WidgetCard>
  );
}
