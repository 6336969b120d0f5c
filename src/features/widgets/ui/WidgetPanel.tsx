import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { filtersCleared } from '../widgetsSlice';
import { selectGrantedScopes, selectUsesApiKey } from '../../oauth/oauthSlice';
import { RequireScope } from '../../oauth/RequireScope';
import { hasScope, parseScope } from '../../../../protocol/scopes';
import type { WidgetSpec } from '../widgetSpecs';
import { FormulaWidget } from './FormulaWidget';
import { CategoryWidget } from './CategoryWidget';
import { PieWidget } from './PieWidget';
import { HistogramWidget } from './HistogramWidget';
import { TimeSeriesWidget } from './TimeSeriesWidget';
import { RangeWidget } from './RangeWidget';
import { ScatterWidget } from './ScatterWidget';
import { TableWidget } from './TableWidget';

/** One widget of a panel, by its spec. */
function SpecWidget({ sourceId, spec }: { sourceId: string; spec: WidgetSpec }) {
  const common = { id: spec.id, sourceId, title: spec.title };
  switch (spec.type) {
    case 'formula':
      return (
        <FormulaWidget
          {...common}
          params={{ operation: spec.operation, ...(spec.column ? { column: spec.column } : {}) }}
          {...(spec.currency ? { options: { style: 'currency', currency: spec.currency } } : {})}
        />
      );
    case 'category':
    case 'pie': {
      const params = {
        column: spec.column,
        operation: spec.operation,
        ...(spec.operationColumn ? { operationColumn: spec.operationColumn } : {}),
      };
      return spec.type === 'pie' ? (
        <PieWidget {...common} params={params} />
      ) : (
        <CategoryWidget {...common} params={params} />
      );
    }
    case 'histogram':
      return <HistogramWidget {...common} column={spec.column} bins={spec.bins} />;
    case 'timeseries':
      return (
        <TimeSeriesWidget
          {...common}
          column={spec.column}
          step={spec.step}
          operation={spec.operation}
          {...(spec.operationColumn ? { operationColumn: spec.operationColumn } : {})}
        />
      );
    case 'range':
      return <RangeWidget {...common} column={spec.column} />;
    case 'scatter':
      return <ScatterWidget {...common} xColumn={spec.xColumn} yColumn={spec.yColumn} />;
    case 'table':
      return <TableWidget {...common} columns={spec.columns} />;
  }
}

interface Props {
  sourceId: string;
  /** The panel's accessible name, e.g. "Store widgets". */
  label: string;
  /** What the filters are on, for the filter count ("2 filters on the stores"). */
  subject: string;
  widgets: readonly WidgetSpec[];
  /** Drawn around each widget (the builder's move and remove buttons). */
  frame?: (spec: WidgetSpec, widget: ReactNode) => ReactNode;
}

/**
 * A source's widgets, in order, with the number of filters they set on it and a Clear all.
 * Two formulas in a row share a line.
 */
export function WidgetPanel({ sourceId, label, subject, widgets, frame }: Props) {
  const dispatch = useAppDispatch();
  const filterCount = useAppSelector(
    (state) => Object.keys(state.widgets.filters[sourceId] ?? {}).length,
  );
  // Widgets read the source's rows through the SQL API: the connection's tables
  // (`read:connections`) or, with CARTO 2 dataset scopes, the tables those name. An API access
  // token has no scopes to check here (RequireScope lets it through): the platform decides.
  const granted = useAppSelector(selectGrantedScopes);
  const usesApiKey = useAppSelector(selectUsesApiKey);
  const canRead =
    usesApiKey ||
    hasScope(granted, 'read:connections') ||
    granted.some((scope) => parseScope(scope)?.kind === 'datasets');
  if (!canRead)
    return (
      <section aria-label={label}>
        <RequireScope scope="read:connections">{null}</RequireScope>
      </section>
    );
  return (
    <Box
      component="section"
      aria-label={label}
      sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1 }}
    >
      {filterCount > 0 && (
        <Box sx={{ display: 'flex', alignItems: 'center', gridColumn: '1 / -1' }}>
          <Typography variant="body2" sx={{ flex: 1 }} role="status">
            {filterCount === 1 ? '1 filter' : `${filterCount} filters`} on {subject}
          </Typography>
          <Button size="small" onClick={() => dispatch(filtersCleared(sourceId))}>
            Clear all
          </Button>
        </Box>
      )}
      {widgets.map((spec) => {
        const widget = <SpecWidget sourceId={sourceId} spec={spec} />;
        return (
          <Box
            key={spec.id}
            sx={{ gridColumn: spec.type === 'formula' ? 'auto' : '1 / -1', minWidth: 0 }}
          >
            {frame ? frame(spec, widget) : widget}
          </Box>
        );
      })}
    </Box>
  );
}
