import { useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import type { LayerConfig } from '../../features/map/mapSlice';
import { fitMapTo } from '../../features/map/fitView';
import { selectOAuthCredentials } from '../../features/oauth/oauthSlice';
import { useViewLayers } from '../../features/map/useViewLayers';
import type { SourceDescriptor } from '../../features/sources/sourcesSlice';
import { DEMO_CONNECTION } from '../../data/sources';
import { useLazyCreateSourceQuery } from '../../api/cartoApi';
import { errorMessage } from '../../api/queryError';

const DEFAULT_QUERY =
  'SELECT name, population, geom\nFROM demo.populated_places\nWHERE population > 1000000';
const LAYER: LayerConfig = {
  id: 'sql-layer',
  sourceId: 'sql',
  kind: 'vector',
  title: 'SQL query',
  visible: true,
  style: {
    fillColor: [242, 183, 1, 230],
    lineColor: [80, 60, 0, 255],
    pointRadius: 4,
    lineWidth: 1,
  },
};

/** Where the SQL API says the error is ("line 2, column 5", or "LINE 2:"), to show first. */
function errorLocation(message: string): string | null {
  const exact = /line (\d+), column (\d+)/i.exec(message);
  if (exact) return `Line ${exact[1] ?? ''}, column ${exact[2] ?? ''}`;
  const line = /LINE (\d+):/.exec(message)?.[1];
  return line ? `Line ${line}` : null;
}

/** Power users: write a query and see its result on the map as a query source. */
export function SqlView() {
  const dispatch = useAppDispatch();
  const loggedIn = useAppSelector(selectOAuthCredentials) !== null;
  const [text, setText] = useState(DEFAULT_QUERY);
  const [source, setSource] = useState<SourceDescriptor | null>(null);
  // The Maps API step runs here first, so errors show next to the query, not as an empty map.
  const [instantiate, result] = useLazyCreateSourceQuery();
  const running = useRef<{ abort: () => void } | null>(null);
  useViewLayers(source, source ? LAYER : null);

  const run = async () => {
    const descriptor: SourceDescriptor = {
      id: 'sql',
      type: 'query',
      connection: DEMO_CONNECTION,
      data: text,
    };
    running.current?.abort(); // a new run supersedes the one in flight
    const request = instantiate(descriptor, true);
    running.current = request;
    const { data } = await request;
    if (!data) return;
    setSource(descriptor);
    dispatch(fitMapTo(data.bounds));
  };

  const error = result.isError ? errorMessage(result.error) : null;
  const where = error ? errorLocation(error) : null;
  return (
    <Box sx={{ px: 2, py: 1, display: 'grid', gap: 1 }}>
      <Typography variant="body2">
        Run a query on the <code>{DEMO_CONNECTION}</code> connection; its rows need a{' '}
        <code>geom</code> column.
      </Typography>
      <TextField
        label="SQL query"
        multiline
        minRows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        slotProps={{
          htmlInput: { spellCheck: false, style: { fontFamily: 'monospace', fontSize: 13 } },
        }}
      />
      <Button
        variant="contained"
        onClick={() => void run()}
        disabled={result.isFetching || !loggedIn || text.trim() === ''}
      >
        {result.isFetching ? 'Running…' : 'Run on the map'}
      </Button>
      {!loggedIn && (
        <Typography variant="body2" color="text.secondary">
          Log in with CARTO to run queries.
        </Typography>
      )}
      {error && (
        <Alert severity="error" role="alert">
          {where && <strong>{where}: </strong>}
          <span style={{ whiteSpace: 'pre-wrap' }}>{error}</span>
        </Alert>
      )}
    </Box>
  );
}
