import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { PieChart } from '@mui/x-charts/PieChart';
import { paletteColors } from '../../map/layers/palettes';
import { formatNumber } from './format';
import { WidgetCard } from './WidgetCard';
import { useCategoryWidget, type CategoryWidgetProps } from './useCategorySelection';

const OTHERS = 'Others';
const OTHERS_RGB = [165, 170, 179];
const css = ([r, g, b]: readonly number[], alpha = 1) => `rgba(${r}, ${g}, ${b}, ${alpha})`;

/**
 * Shares of a category column over the features in view, the largest first and the rest as
 * "Others". Clicking a slice (or its name below) filters the map and the other widgets by it.
 */
export function PieWidget(props: CategoryWidgetProps) {
  const { title, top = 5 } = props;
  const {
    widget,
    named: sorted,
    others,
    selected,
    setSelection,
    toggle,
  } = useCategoryWidget(props);
  const total = sorted.reduce((sum, entry) => sum + entry.value, 0) + others;
  const colors = paletteColors('Bold', top);
  const slices = sorted.slice(0, top).map((entry, index) => ({
    id: String(entry.name ?? '(none)'),
    label: String(entry.name ?? '(none)'),
    value: entry.value,
    rgb: colors[index % colors.length] ?? OTHERS_RGB,
    clickable: entry.name !== null,
  }));
  const rest = sorted.slice(top).reduce((sum, entry) => sum + entry.value, 0) + others;
  if (rest > 0)
    slices.push({ id: OTHERS, label: OTHERS, value: rest, rgb: OTHERS_RGB, clickable: false });
  const share = (value: number) =>
    formatNumber(total > 0 ? (value / total) * 100 : 0, {
      compact: false,
      options: { maximumFractionDigits: 1 },
    });
  const dim = (slice: (typeof slices)[number]) => selected.size > 0 && !selected.has(slice.id);

  return (
    <WidgetCard
      title={title}
      widget={widget}
      empty={sorted.length === 0}
      actions={
        selected.size > 0 && (
          <Button size="small" onClick={() => setSelection([])}>
            Clear
          </Button>
        )
      }
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <PieChart
          width={120}
          height={120}
          margin={0}
          series={[
            {
              data: slices.map((slice) => ({
                id: slice.id,
                value: slice.value,
                label: slice.label,
                color: css(slice.rgb, dim(slice) ? 0.3 : 1),
              })),
              innerRadius: 28,
              paddingAngle: 1,
              cornerRadius: 2,
              valueFormatter: (item) => `${formatNumber(item.value)} (${share(item.value)}%)`,
            },
          ]}
          hideLegend
          onItemClick={(_, item) => {
            const slice = slices[item.dataIndex];
            if (slice?.clickable) toggle(slice.id);
          }}
          aria-hidden
        />
        <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, flex: 1, minWidth: 0 }}>
          {slices.map((slice) => (
            <li key={slice.id}>
              <Box
                component={slice.clickable ? 'button' : 'div'}
                type={slice.clickable ? 'button' : undefined}
                aria-pressed={slice.clickable ? selected.has(slice.id) : undefined}
                onClick={slice.clickable ? () => toggle(slice.id) : undefined}
                sx={{
                  display: 'flex',
                  alignItems: 'center',
                  gap: 0.75,
                  width: '100%',
                  p: 0.25,
                  border: 0,
                  background: 'none',
                  font: 'inherit',
                  fontSize: 13,
                  textAlign: 'left',
                  cursor: slice.clickable ? 'pointer' : 'default',
                  opacity: dim(slice) ? 0.5 : 1,
                  fontWeight: selected.has(slice.id) ? 600 : 400,
                }}
              >
                <Box
                  component="span"
                  sx={{ width: 10, height: 10, borderRadius: '50%', bgcolor: css(slice.rgb) }}
                />
                <Box
                  component="span"
                  sx={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis' }}
                >
                  {slice.label}
                </Box>
                <span>{share(slice.value)}%</span>
              </Box>
            </li>
          ))}
        </Box>
      </Box>
      {selected.size > 0 && (
        <Typography variant="caption" color="text.secondary" component="p">
          Filtering by {[...selected].join(', ')}.
        </Typography>
      )}
    </WidgetCard>
  );
}
