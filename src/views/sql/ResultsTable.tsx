import { memo, useMemo } from 'react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import type { SqlResult } from '../../api/sqlModel';
import { cellText, isGeometryColumn, PAGE_SIZE } from './sqlText';

const cellSx = {
  whiteSpace: 'nowrap',
  maxWidth: 220,
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  fontSize: 12,
  py: 0.25,
  px: 1,
} as const;

/**
 * One page of a query's rows: the columns of the result's schema (name and type), NULLs said
 * as such, geometries summarised ("Point (2.17, 41.38)"). The table scrolls both ways inside
 * `maxHeight`; the pager sits below it. `rows` is null while the page loads. Memoised: typing
 * in the editor or a parameter's control re-renders the console, not the rows.
 */
export const ResultsTable = memo(function ResultsTable({
  schema,
  rows,
  total,
  page,
  onPage,
  maxHeight,
  label,
}: {
  schema: SqlResult['schema'];
  rows: SqlResult['rows'] | null;
  total: number;
  page: number;
  onPage: (page: number) => void;
  maxHeight: number | string;
  label: string;
}) {
  const columns = useMemo(
    () =>
      schema.map((column) => ({
        ...column,
        geometry: isGeometryColumn(
          column,
          rows?.find((row) => row[column.name] != null)?.[column.name],
        ),
      })),
    [schema, rows],
  );
  return (
    <>
      <TableContainer sx={{ maxHeight, border: 1, borderColor: 'divider', borderRadius: 1 }}>
        <Table size="small" stickyHeader aria-label={label}>
          <TableHead>
            <TableRow>
              {columns.map((column) => (
                <TableCell key={column.name} sx={{ ...cellSx, fontWeight: 600 }} scope="col">
                  {column.name}
                  <Typography
                    component="span"
                    variant="caption"
                    color="text.secondary"
                    sx={{ ml: 0.5, fontFamily: 'inherit' }}
                  >
                    {column.type}
                  </Typography>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody aria-busy={rows === null}>
            {rows === null && (
              <TableRow>
                <TableCell colSpan={columns.length} sx={{ ...cellSx, color: 'text.secondary' }}>
                  Loading the rows…
                </TableCell>
              </TableRow>
            )}
            {rows?.map((row, i) => (
              <TableRow key={page * PAGE_SIZE + i} hover>
                {columns.map((column) => {
                  const text = cellText(row[column.name], column.geometry);
                  return (
                    <TableCell
                      key={column.name}
                      sx={{
                        ...cellSx,
                        ...(row[column.name] == null ? { color: 'text.disabled' } : {}),
                      }}
                      title={text}
                    >
                      {text}
                    </TableCell>
                  );
                })}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {total > PAGE_SIZE && <Pager count={total} page={page} onPage={onPage} />}
    </>
  );
});

const format = (n: number) => n.toLocaleString('en-US');

/** "51–100 of 7,342" with the previous and next page (a small pager, not TablePagination's). */
function Pager({
  count,
  page,
  onPage,
}: {
  count: number;
  page: number;
  onPage: (page: number) => void;
}) {
  const last = Math.ceil(count / PAGE_SIZE) - 1;
  const from = page * PAGE_SIZE + 1;
  const to = Math.min(count, (page + 1) * PAGE_SIZE);
  return (
    <Box
      component="nav"
      aria-label="Result pages"
      sx={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', gap: 0.5 }}
    >
      <Typography variant="body2" aria-live="polite">
        {format(from)}–{format(to)} of {format(count)}
      </Typography>
      <IconButton
        size="small"
        aria-label="Previous page"
        disabled={page <= 0}
        onClick={() => onPage(page - 1)}
      >
        <ChevronLeftIcon fontSize="small" />
      </IconButton>
      <IconButton
        size="small"
        aria-label="Next page"
        disabled={page >= last}
        onClick={() => onPage(page + 1)}
      >
        <ChevronRightIcon fontSize="small" />
      </IconButton>
    </Box>
  );
}
