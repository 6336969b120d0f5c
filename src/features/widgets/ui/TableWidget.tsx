import { useState } from 'react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { featureSelected, selectAllLayers, selectSelectedFeature } from '../../map/mapSlice';
import { fitMapTo } from '../../map/fitView';
import { formatValue } from '../../map/featureFormat';
import { bboxOf } from '../../../../protocol/geojson';
import { useWidget } from '../useWidget';
import { WidgetCard } from './WidgetCard';

interface Props {
  id: string;
  sourceId: string;
  title: string;
  columns: string[];
  /** The source's geometry column: asked for too, to zoom to a row. */
  geometryColumn?: string;
}

const PAGE_SIZE = 5;

/** A geometry as the table model returns it: GeoJSON, as an object or as text. */
function readGeometry(value: unknown): { type: string; coordinates?: unknown } | null {
  try {
    const geometry: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    return geometry && typeof geometry === 'object' && 'type' in geometry
      ? (geometry as { type: string; coordinates?: unknown })
      : null;
  } catch {
    return null;
  }
}

/**
 * The features in view as rows, a page at a time, sorted by any column (asked of the server:
 * the browser never holds more than a page). Clicking a row (or Enter on it) zooms the map to
 * that feature and selects it there, as clicking it on the map would.
 */
export function TableWidget({ id, sourceId, title, columns, geometryColumn = 'geom' }: Props) {
  const dispatch = useAppDispatch();
  const [page, setPage] = useState(0);
  const [sort, setSort] = useState<{ column: string; direction: 'asc' | 'desc' } | null>(null);
  // The layer that draws this source: the one a row's feature is selected on.
  const layer = useAppSelector((state) =>
    selectAllLayers(state).find((l) => l.sourceId === sourceId && l.visible),
  );
  const selected = useAppSelector(selectSelectedFeature);
  const idColumn = layer?.idColumn;
  const asked = [...new Set([...columns, ...(idColumn ? [idColumn] : []), geometryColumn])];
  const widget = useWidget(sourceId, id, 'table', {
    columns: asked,
    ...(sort ? { sortBy: sort.column, sortDirection: sort.direction } : {}),
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const rows = widget.data?.rows ?? [];
  const total = widget.data?.totalCount ?? 0;
  // The view or the filters changed and this page is past the end: back to the first.
  if (widget.status === 'success' && page > 0 && page * PAGE_SIZE >= total) setPage(0);

  const sortBy = (column: string) => {
    setPage(0);
    setSort(
      sort?.column === column && sort.direction === 'asc'
        ? { column, direction: 'desc' }
        : { column, direction: 'asc' },
    );
  };
  const open = (row: Record<string, unknown>) => {
    const geometry = readGeometry(row[geometryColumn]);
    const bounds = geometry ? bboxOf(geometry) : null;
    if (bounds) dispatch(fitMapTo(bounds, { maxZoom: 14 }));
    if (!layer) return;
    const properties: Record<string, string | number | boolean | null> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key === geometryColumn) continue;
      properties[key] =
        value === null || ['string', 'number', 'boolean'].includes(typeof value)
          ? (value as string | number | boolean | null)
          : JSON.stringify(value);
    }
    const point =
      geometry?.type === 'Point' && Array.isArray(geometry.coordinates)
        ? (geometry.coordinates.slice(0, 2) as [number, number])
        : null;
    dispatch(
      featureSelected({ layerId: layer.id, properties, ...(point ? { position: point } : {}) }),
    );
  };
  const isSelected = (row: Record<string, unknown>) =>
    !!layer?.idColumn &&
    selected?.layerId === layer.id &&
    selected.properties[layer.idColumn] === row[layer.idColumn];

  return (
    <WidgetCard title={title} widget={widget} empty={rows.length === 0 && total === 0}>
      <TableContainer sx={{ maxWidth: '100%', overflowX: 'auto' }}>
        <Table size="small" aria-label={`${title}: features in view`}>
          <TableHead>
            <TableRow>
              {columns.map((column) => (
                <TableCell
                  key={column}
                  sx={{ px: 0.75, fontSize: 12, whiteSpace: 'nowrap' }}
                  sortDirection={sort?.column === column ? sort.direction : false}
                >
                  <TableSortLabel
                    active={sort?.column === column}
                    direction={sort?.column === column ? sort.direction : 'asc'}
                    onClick={() => sortBy(column)}
                  >
                    {column}
                  </TableSortLabel>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row, index) => (
              <TableRow
                key={idColumn ? String(row[idColumn]) : index}
                hover
                selected={isSelected(row)}
                tabIndex={0}
                aria-label={`Show on the map: ${String(row[columns[0] ?? ''] ?? index + 1)}`}
                onClick={() => open(row)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    open(row);
                  }
                }}
                sx={{ cursor: 'pointer' }}
              >
                {columns.map((column) => (
                  <TableCell
                    key={column}
                    align={typeof row[column] === 'number' ? 'right' : 'left'}
                    sx={{ px: 0.75, fontSize: 12, maxWidth: 120, overflowWrap: 'anywhere' }}
                  >
                    {formatValue(row[column])}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <TablePagination
        component="div"
        count={total}
        page={page}
        onPageChange={(_, next) => setPage(next)}
        rowsPerPage={PAGE_SIZE}
        rowsPerPageOptions={[PAGE_SIZE]}
        sx={{ '& .MuiTablePagination-toolbar': { minHeight: 36, px: 0 } }}
      />
    </WidgetCard>
  );
}
