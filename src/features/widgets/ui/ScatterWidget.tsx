import Typography from '@mui/material/Typography';
import { ScatterChart } from '@mui/x-charts/ScatterChart';
import { useWidget } from '../useWidget';
import { formatNumber } from './format';
import { WidgetCard } from './WidgetCard';

interface Props {
  id: string;
  sourceId: string;
  title: string;
  xColumn: string;
  yColumn: string;
}

/** How many points the scatterplot model returns at most (CARTO's default). */
const SAMPLE_LIMIT = 500;

/** One point per feature in view: one numeric column against another. */
export function ScatterWidget({ id, sourceId, title, xColumn, yColumn }: Props) {
  const widget = useWidget(sourceId, id, 'scatter', { xAxisColumn: xColumn, yAxisColumn: yColumn });
  const points = widget.data ?? [];
  return (
    <WidgetCard title={title} widget={widget} empty={points.length === 0}>
      <ScatterChart
        height={170}
        margin={{ left: 0, right: 8, top: 8, bottom: 0 }}
        xAxis={[
          {
            label: xColumn,
            valueFormatter: (v: number) => formatNumber(v, { compact: true }),
            tickLabelStyle: { fontSize: 10 },
            labelStyle: { fontSize: 11 },
            height: 36,
          },
        ]}
        yAxis={[
          {
            label: yColumn,
            width: 48,
            valueFormatter: (v: number) => formatNumber(v, { compact: true }),
            tickLabelStyle: { fontSize: 10 },
            labelStyle: { fontSize: 11 },
          },
        ]}
        series={[
          {
            data: points.map(([x, y], index) => ({ x, y, id: index })),
            markerSize: 2,
            valueFormatter: (point) =>
              `${xColumn} ${formatNumber(point.x)}, ${yColumn} ${formatNumber(point.y)}`,
          },
        ]}
        hideLegend
        aria-hidden
      />
      <Typography variant="caption" color="text.secondary" component="p">
        {points.length >= SAMPLE_LIMIT
          ? `The first ${formatNumber(points.length)} features in view (the model's limit)`
          : `${formatNumber(points.length)} features in view`}
        , {yColumn} against {xColumn}.
      </Typography>
    </WidgetCard>
  );
}
