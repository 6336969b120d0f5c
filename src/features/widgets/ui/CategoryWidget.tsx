import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCategoryWidget, type CategoryWidgetProps } from './useCategorySelection';
import { formatNumber } from './format';
import { WidgetCard } from './WidgetCard';

const OTHERS = 'Others';

/**
 * Bars per category of a column over the features in view, the largest first, the rest as
 * "Others". Clicking categories filters the map and the other widgets by them (several at
 * once); this widget keeps showing every category, its own filter aside.
 */
export function CategoryWidget(props: CategoryWidgetProps) {
  const { title, top = 6 } = props;
  const {
    widget,
    named,
    others: serverOthers,
    selected,
    setSelection,
    toggle,
  } = useCategoryWidget(props);
  const [search, setSearch] = useState('');
  // Locked: only the selected categories are listed, so the selection cannot change by a
  // stray click; unlocking lists them all again.
  const [lockedState, setLocked] = useState(false);
  const locked = lockedState && selected.size > 0;

  const sorted = named.filter((entry) => !locked || selected.has(String(entry.name)));
  const query = search.trim().toLowerCase();
  const matching = query
    ? sorted.filter((entry) => String(entry.name).toLowerCase().includes(query))
    : sorted;
  const shown = query ? matching : matching.slice(0, top);
  const others = query ? [] : matching.slice(top);
  const othersTotal =
    others.reduce((sum, entry) => sum + entry.value, 0) + (query || locked ? 0 : serverOthers);
  const max = Math.max(1, ...shown.map((entry) => entry.value), othersTotal);

  const bar = (name: string, value: number, clickable: boolean) => {
    const isSelected = selected.has(name);
    const dimmed = selected.size > 0 && !isSelected;
    return (
      <Box
        key={name}
        component={clickable ? 'button' : 'div'}
        type={clickable ? 'button' : undefined}
        aria-pressed={clickable ? isSelected : undefined}
        aria-label={`${name}: ${formatNumber(value)}`}
        onClick={clickable && !locked ? () => toggle(name) : undefined}
        disabled={clickable && locked ? true : undefined}
        sx={{
          display: 'block',
          width: '100%',
          p: 0,
          mb: 0.75,
          border: 0,
          background: 'none',
          textAlign: 'left',
          font: 'inherit',
          cursor: clickable ? 'pointer' : 'default',
          opacity: dimmed ? 0.45 : 1,
        }}
      >
        <Box sx={{ display: 'flex', fontSize: 13 }}>
          <Box component="span" sx={{ flex: 1, fontWeight: isSelected ? 600 : 400 }}>
            {name}
          </Box>
          <span>{formatNumber(value)}</span>
        </Box>
        <Box sx={{ height: 6, bgcolor: 'action.hover', borderRadius: 1 }}>
          <Box
            sx={{
              height: '100%',
              width: `${(value / max) * 100}%`,
              bgcolor: clickable ? 'primary.main' : 'text.disabled',
              borderRadius: 1,
            }}
          />
        </Box>
      </Box>
    );
  };

  return (
    <WidgetCard
      title={title}
      widget={widget}
      empty={sorted.length === 0}
      actions={
        selected.size > 0 && (
          <>
            <Button size="small" aria-pressed={locked} onClick={() => setLocked(!locked)}>
              {locked ? 'Unlock' : 'Lock'}
            </Button>
            {!locked && (
              <Button size="small" onClick={() => setSelection([])}>
                Clear
              </Button>
            )}
          </>
        )
      }
    >
      {sorted.length > top && (
        <TextField
          size="small"
          fullWidth
          placeholder="Search categories"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          slotProps={{ htmlInput: { 'aria-label': `Search ${title}` } }}
          sx={{ mb: 1 }}
        />
      )}
      {shown.map((entry) => bar(String(entry.name ?? '(none)'), entry.value, entry.name !== null))}
      {othersTotal > 0 && bar(OTHERS, othersTotal, false)}
      {query && matching.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No category matches “{search}”.
        </Typography>
      )}
      {selected.size > 0 && (
        <Typography variant="caption" color="text.secondary" component="p">
          Filtering by {[...selected].join(', ')}
          {locked ? ' (locked).' : '.'}
        </Typography>
      )}
    </WidgetCard>
  );
}
