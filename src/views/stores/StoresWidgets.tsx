import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { filtersCleared } from '../../features/widgets/widgetsSlice';
import { FormulaWidget } from '../../features/widgets/ui/FormulaWidget';
import { CategoryWidget } from '../../features/widgets/ui/CategoryWidget';
import { RangeWidget } from '../../features/widgets/ui/RangeWidget';
import { STORES_SOURCE } from '../../data/sources';

const USD = { options: { style: 'currency', currency: 'USD' } } as const;

/** The stores in view, summarised; clicking a store type filters the map and the totals. */
export function StoresWidgets() {
  const dispatch = useAppDispatch();
  const sourceId = STORES_SOURCE.id;
  const filterCount = useAppSelector(
    (state) => Object.keys(state.widgets.filters[sourceId] ?? {}).length,
  );
  return (
    <Box component="section" aria-label="Store widgets" sx={{ display: 'grid', gap: 1 }}>
      {filterCount > 0 && (
        <Box sx={{ display: 'flex', alignItems: 'center' }}>
          <Typography variant="body2" sx={{ flex: 1 }}>
            {filterCount === 1 ? '1 filter' : `${filterCount} filters`} on the stores
          </Typography>
          <Button size="small" onClick={() => dispatch(filtersCleared(sourceId))}>
            Clear all
          </Button>
        </Box>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1 }}>
        <FormulaWidget
          id="stores-count"
          sourceId={sourceId}
          title="Stores"
          params={{ operation: 'count' }}
        />
        <FormulaWidget
          id="stores-revenue"
          sourceId={sourceId}
          title="Revenue"
          params={{ operation: 'sum', column: 'revenue' }}
          {...USD}
        />
      </Box>
      <CategoryWidget
        id="stores-type"
        sourceId={sourceId}
        title="Store type"
        params={{ column: 'store_type', operation: 'count' }}
      />
      <RangeWidget id="stores-size" sourceId={sourceId} title="Store size (m²)" column="size_m2" />
    </Box>
  );
}
