import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Slider from '@mui/material/Slider';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import PauseIcon from '@mui/icons-material/Pause';
import { LineChart } from '@mui/x-charts/LineChart';
import type { Aggregation, TimeStep } from '../widgetSpecs';
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
  /** A date or timestamp column. */
  column: string;
  step: TimeStep;
  operation: Aggregation;
  operationColumn?: string;
}

const STEPS = [
  { value: 'day', label: 'By day' },
  { value: 'week', label: 'By week' },
  { value: 'month', label: 'By month' },
  { value: 'year', label: 'By year' },
] as const satisfies readonly { value: TimeStep; label: string }[];

/** How long one frame of the animation shows. */
const FRAME_MS = 900;

/** The start of the step after the one starting at `time` (UTC, as the model buckets). */
function nextStep(time: number, step: TimeStep): number {
  const date = new Date(time);
  if (step === 'day') date.setUTCDate(date.getUTCDate() + 1);
  else if (step === 'week') date.setUTCDate(date.getUTCDate() + 7);
  else if (step === 'month') date.setUTCMonth(date.getUTCMonth() + 1);
  else date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.getTime();
}

function formatStep(time: number, step: TimeStep): string {
  const options: Intl.DateTimeFormatOptions =
    step === 'year'
      ? { year: 'numeric', timeZone: 'UTC' }
      : step === 'month'
        ? { year: 'numeric', month: 'short', timeZone: 'UTC' }
        : { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(undefined, options).format(time);
}

/**
 * A value over time (count, sum, ...) by day, week, month or year, for the features in view.
 * Dragging the handles under the chart filters the map and the other widgets to those steps;
 * Play steps through time, one step at a time, filtering the map as it goes.
 */
export function TimeSeriesWidget({
  id,
  sourceId,
  title,
  column,
  step: initialStep,
  operation,
  operationColumn,
}: Props) {
  const dispatch = useAppDispatch();
  const theme = useTheme();
  const [step, setStep] = useState<TimeStep>(initialStep);
  const widget = useWidget(sourceId, id, 'timeseries', {
    column,
    stepSize: step,
    operation,
    ...(operationColumn ? { operationColumn } : {}),
  });
  const rows = widget.data?.rows ?? [];
  const times = rows.map((row) => Number(row.name));
  const values = rows.map((row) => row.value);
  const own = useAppSelector((state) => state.widgets.filters[sourceId]?.[column]?.time);
  const selected = own?.owner === id ? own.values[0] : undefined;
  const [dragging, setDragging] = useState<number[] | null>(null);
  const [playing, setPlaying] = useState<number | null>(null);

  // The steps [first, last] the filter covers, when it lines up with the steps shown.
  const first = selected ? times.indexOf(selected[0] ?? NaN) : -1;
  const last =
    selected && first >= 0 ? times.findIndex((t) => nextStep(t, step) === selected[1]) : -1;
  const selection = first >= 0 && last >= first ? ([first, last] as const) : null;
  const shown: readonly [number, number] | null = dragging
    ? [dragging[0] ?? 0, dragging[1] ?? 0]
    : selection;

  const clear = () => dispatch(filterRemoved({ sourceId, column, owner: id }));
  const selectSteps = (from: number, to: number) => {
    const start = times[from];
    const lastStart = times[to];
    if (start === undefined || lastStart === undefined) return;
    if (from === 0 && to === times.length - 1) {
      clear();
      return;
    }
    dispatch(
      filterAdded({
        sourceId,
        column,
        type: 'time',
        values: [[start, nextStep(lastStart, step)]],
        owner: id,
      }),
    );
  };

  // Playing: one step per frame, from where it was (or the start) to the end.
  useEffect(() => {
    if (playing === null) return;
    const start = times[playing];
    if (start !== undefined)
      dispatch(
        filterAdded({
          sourceId,
          column,
          type: 'time',
          values: [[start, nextStep(start, step)]],
          owner: id,
        }),
      );
    // After the last step, the animation stops (its filter stays, to look at or clear).
    const timer = setTimeout(
      () => setPlaying(playing + 1 < times.length ? playing + 1 : null),
      FRAME_MS,
    );
    return () => clearTimeout(timer);
    // Only a new frame moves the animation; new answers for the same steps do not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing]);

  return (
    <WidgetCard
      title={title}
      widget={widget}
      empty={rows.length === 0}
      actions={
        <>
          <ChartSelect
            label={`${title}: step`}
            value={step}
            options={STEPS}
            onChange={(next) => {
              setPlaying(null);
              clear();
              setStep(next);
            }}
          />
          {selected && playing === null && (
            <Button size="small" onClick={clear}>
              Clear
            </Button>
          )}
        </>
      }
    >
      <LineChart
        height={140}
        margin={{ left: 0, right: 8, top: 8, bottom: 0 }}
        xAxis={[
          {
            scaleType: 'time',
            data: times.map((t) => new Date(t)),
            valueFormatter: (date: Date) => formatStep(date.getTime(), step),
            tickLabelStyle: { fontSize: 10 },
          },
        ]}
        yAxis={[{ width: 44, valueFormatter: (v: number) => formatNumber(v, { compact: true }) }]}
        series={[
          {
            data: values,
            area: true,
            color: theme.palette.primary.main,
            showMark: false,
            label: title,
            valueFormatter: (v) => (v === null ? '' : formatNumber(v)),
          },
        ]}
        hideLegend
        aria-hidden
      />
      {times.length > 1 && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, pl: 0.5, pr: 1.5 }}>
          <IconButton
            size="small"
            aria-label={playing === null ? `Play ${title}` : `Pause ${title}`}
            onClick={() => setPlaying(playing === null ? (selection?.[0] ?? 0) : null)}
          >
            {playing === null ? <PlayArrowIcon fontSize="small" /> : <PauseIcon fontSize="small" />}
          </IconButton>
          <Slider
            size="small"
            min={0}
            max={times.length - 1}
            step={1}
            value={
              playing !== null
                ? [Math.min(playing, times.length - 1), Math.min(playing, times.length - 1)]
                : shown
                  ? [shown[0], shown[1]]
                  : [0, times.length - 1]
            }
            onChange={(_, next) => {
              setPlaying(null);
              setDragging(next);
            }}
            onChangeCommitted={(_, next) => {
              setDragging(null);
              const [from = 0, to = 0] = next;
              selectSteps(from, to);
            }}
            getAriaLabel={(index) => (index === 0 ? `${title}: from` : `${title}: to`)}
            getAriaValueText={(index) => formatStep(times[index] ?? 0, step)}
            valueLabelDisplay="auto"
            valueLabelFormat={(index) => formatStep(times[index] ?? 0, step)}
          />
        </Box>
      )}
      <Typography variant="caption" color="text.secondary" component="p" aria-live="polite">
        {playing !== null && times[playing] !== undefined
          ? `Playing: ${formatStep(times[playing], step)}`
          : shown
            ? `${selection && !dragging ? 'Filtering by' : 'Selecting'} ${formatStep(times[shown[0]] ?? 0, step)} – ${formatStep(times[shown[1]] ?? 0, step)}.`
            : `${times.length} steps from ${formatStep(times[0] ?? 0, step)} to ${formatStep(times.at(-1) ?? 0, step)}.`}
      </Typography>
    </WidgetCard>
  );
}
