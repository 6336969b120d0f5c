import { lazy, Suspense, type MouseEvent } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { Link as RouterLink, useLocation, useNavigate } from 'react-router';
import { useAppSelector } from '../../store/hooks';
import { selectOAuthCredentials } from '../oauth/oauthSlice';
import { selectLayerCount } from './mapSlice';

// The list and its controls load with the first layer (as deck.gl does), not with the map.
const LayerList = lazy(() => import('./LayerList'));

/** The home route: the list of the user's datasets. */
const DATASETS_PATH = '/';

/** What to do first, on an empty map: log in, then add a dataset (a link to the list). */
function NoLayersHint() {
  const loggedIn = useAppSelector(selectOAuthCredentials) !== null;
  const { pathname } = useLocation();
  const navigate = useNavigate();
  if (!loggedIn) {
    return <>No layers on the map yet. Log in with CARTO, then add one of your datasets.</>;
  }
  if (pathname === DATASETS_PATH) {
    return <>No layers on the map yet. Pick a dataset in the list above to draw it.</>;
  }
  // The map's link lives in the hash: going to the list keeps it, as the tabs do.
  const toDatasets = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    void navigate({ pathname: DATASETS_PATH, hash: window.location.hash });
  };
  return (
    <>
      No layers on the map yet. Add one from{' '}
      <Box
        component={RouterLink}
        to={DATASETS_PATH}
        onClick={toDatasets}
        sx={{ color: 'primary.main' }}
      >
        your datasets
      </Box>
      , or use a view above.
    </>
  );
}

/** The layers on the map, or what to do to get one. */
export function LayersPanel() {
  const count = useAppSelector(selectLayerCount);
  if (count === 0) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
        <NoLayersHint />
      </Typography>
    );
  }
  return (
    <Suspense
      fallback={
        <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
          Loading the layer list…
        </Typography>
      }
    >
      <LayerList />
    </Suspense>
  );
}
