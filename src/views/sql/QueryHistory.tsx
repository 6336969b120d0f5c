import { memo } from 'react';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import Typography from '@mui/material/Typography';

/**
 * The recent queries that ran, newest first: a click loads one into the editor. Memoised
 * (typing in the editor changes none of its props).
 */
export const QueryHistory = memo(function QueryHistory({
  history,
  onLoad,
}: {
  history: readonly string[];
  onLoad: (q: string) => void;
}) {
  if (history.length === 0)
    return (
      <Typography variant="body2" color="text.secondary" sx={{ px: 1 }}>
        Queries you run show here.
      </Typography>
    );
  return (
    <List dense disablePadding aria-label="Recent queries">
      {history.map((q) => {
        const oneLine = q.replace(/\s+/g, ' ').trim();
        return (
          <ListItemButton
            key={q}
            title={q}
            aria-label={`Load query: ${oneLine}`}
            onClick={() => onLoad(q)}
            sx={{
              py: 0.25,
              fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
              fontSize: 12,
              display: 'block',
              whiteSpace: 'nowrap',
              overflow: 'hidden',
              textOverflow: 'ellipsis',
            }}
          >
            {oneLine}
          </ListItemButton>
        );
      })}
    </List>
  );
});
