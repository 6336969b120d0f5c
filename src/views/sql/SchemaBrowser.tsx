import { memo, useState } from 'react';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import type { DatasetInfo } from '../../api/datasetsModel';
import { sqlIdentifier, sqlTableName } from './sqlText';

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

/**
 * The user's tables on the console's connection, each opening to its columns. A click on a
 * table or a column inserts its name at the editor's cursor, quoted if it needs it. Memoised
 * (typing in the editor changes none of its props).
 */
export const SchemaBrowser = memo(function SchemaBrowser({
  tables,
  onInsert,
}: {
  tables: readonly DatasetInfo[];
  onInsert: (text: string) => void;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (!next.delete(id)) next.add(id);
    setOpen(next);
  };
  if (tables.length === 0)
    return (
      <Typography variant="body2" color="text.secondary" sx={{ px: 1 }}>
        No tables to show.
      </Typography>
    );
  return (
    <List dense disablePadding aria-label="Tables">
      {tables.map((table) => {
        const expanded = open.has(table.id);
        const name = sqlTableName(table.schema, table.name);
        return (
          <li key={table.id}>
            <ListItem disablePadding component="div">
              <IconButton
                size="small"
                aria-expanded={expanded}
                aria-label={`Columns of ${table.tableName}`}
                onClick={() => toggle(table.id)}
              >
                {expanded ? (
                  <ExpandMoreIcon fontSize="small" />
                ) : (
                  <ChevronRightIcon fontSize="small" />
                )}
              </IconButton>
              <ListItemButton
                aria-label={`Insert ${name}`}
                title="Insert at the cursor"
                onClick={() => onInsert(name)}
                sx={{ py: 0, pl: 0.5 }}
              >
                <ListItemText
                  primary={table.tableName}
                  secondary={table.geometryType ?? undefined}
                  slotProps={{ primary: { sx: { ...mono, fontSize: 13 } } }}
                />
              </ListItemButton>
            </ListItem>
            {expanded && (
              <List dense disablePadding aria-label={`Columns of ${table.tableName}`}>
                {table.columns.map((column) => {
                  const identifier = sqlIdentifier(column.name);
                  return (
                    <ListItemButton
                      key={column.name}
                      aria-label={`Insert ${identifier}`}
                      title="Insert at the cursor"
                      onClick={() => onInsert(identifier)}
                      sx={{ py: 0, pl: 5 }}
                    >
                      <ListItemText
                        primary={column.name}
                        slotProps={{ primary: { sx: { ...mono, fontSize: 12 } } }}
                      />
                      <Typography variant="caption" color="text.secondary" sx={mono}>
                        {column.type.toLowerCase()}
                      </Typography>
                    </ListItemButton>
                  );
                })}
              </List>
            )}
          </li>
        );
      })}
    </List>
  );
});
