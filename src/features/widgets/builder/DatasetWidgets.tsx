import { memo, useEffect, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import Typography from '@mui/material/Typography';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { widgetAdded, widgetMoved, widgetRemoved } from '../widgetsSlice';
import type { WidgetSpec } from '../widgetSpecs';
import { WidgetPanel } from '../ui/WidgetPanel';
import { AddWidgetForm } from './AddWidgetForm';
import { columnsByKind, defaultWidgets, nextWidgetId, type Column } from './columnKinds';

interface Props {
  /** The dataset's source (on the map). */
  sourceId: string;
  /** The dataset's name, for labels. */
  name: string;
  columns: readonly Column[];
}

const NONE: WidgetSpec[] = [];

/**
 * A dataset's widgets, which the user builds: a first panel from its schema, then widgets
 * added on any column (type and column picked in a form), moved up or down, and removed. The
 * panel is kept in the widgets slice, so it is in the map link too. Memoised: the view around
 * it re-renders as the user types (the SQL console's editor and parameters), the widgets need
 * not.
 */
export default memo(function DatasetWidgets({ sourceId, name, columns }: Props) {
  const dispatch = useAppDispatch();
  const panel = useAppSelector((state) => state.widgets.panels[sourceId]);
  const specs = panel ?? NONE;
  const kinds = columnsByKind(columns);

  // Opened for the first time: a panel built from the schema.
  useEffect(() => {
    if (panel !== undefined) return;
    for (const spec of defaultWidgets(columns)) dispatch(widgetAdded({ sourceId, spec }));
  }, [columns, dispatch, panel, sourceId]);

  const frame = (spec: WidgetSpec, widget: ReactNode) => {
    const index = specs.findIndex((s) => s.id === spec.id);
    const move = (to: number) => dispatch(widgetMoved({ sourceId, id: spec.id, index: to }));
    return (
      <Box sx={{ position: 'relative' }}>
        {widget}
        <Box
          role="group"
          aria-label={`${spec.title}: arrange`}
          sx={{ display: 'flex', justifyContent: 'flex-end', mt: -0.5 }}
        >
          <IconButton
            size="small"
            aria-label={`Move ${spec.title} up`}
            disabled={index === 0}
            onClick={() => move(index - 1)}
          >
            <ArrowUpwardIcon fontSize="inherit" />
          </IconButton>
          <IconButton
            size="small"
            aria-label={`Move ${spec.title} down`}
            disabled={index === specs.length - 1}
            onClick={() => move(index + 1)}
          >
            <ArrowDownwardIcon fontSize="inherit" />
          </IconButton>
          <IconButton
            size="small"
            aria-label={`Remove ${spec.title}`}
            onClick={() => dispatch(widgetRemoved({ sourceId, id: spec.id }))}
          >
            <DeleteOutlineIcon fontSize="inherit" />
          </IconButton>
        </Box>
      </Box>
    );
  };

  return (
    <Box sx={{ px: 2, pb: 2 }}>
      {specs.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          No widgets yet: add one to summarise the {name} features in view.
        </Typography>
      )}
      <WidgetPanel
        sourceId={sourceId}
        label={`${name} widgets`}
        subject={name}
        widgets={specs}
        frame={frame}
      />
      <AddWidgetForm
        columns={kinds}
        onAdd={(spec) =>
          dispatch(widgetAdded({ sourceId, spec: { ...spec, id: nextWidgetId(specs) } }))
        }
      />
    </Box>
  );
});
