import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import CloseIcon from '@mui/icons-material/Close';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { basemapNoticeDismissed, basemapSelected, selectBasemapNotice } from './mapSlice';

/** Says, small and dismissible, that an online basemap failed and the offline one is shown. */
export function BasemapNotice() {
  const dispatch = useAppDispatch();
  const notice = useAppSelector(selectBasemapNotice);
  if (!notice) return null;
  return (
    <Alert
      severity="info"
      role="status"
      action={
        <>
          <Button
            color="inherit"
            size="small"
            onClick={() => dispatch(basemapSelected(notice.failed))}
          >
            Retry
          </Button>
          <IconButton
            color="inherit"
            size="small"
            aria-label="Dismiss"
            onClick={() => dispatch(basemapNoticeDismissed())}
          >
            <CloseIcon fontSize="small" />
          </IconButton>
        </>
      }
      // Above deck.gl's canvas, which the overlay stacks over the map's own. On phones, at the
      // top under the basemap selector: the bottom has the map's controls and the panel's sheet.
      sx={{
        position: 'absolute',
        zIndex: 2,
        left: 12,
        right: { xs: 12, sm: 'auto' },
        top: { xs: 132, sm: 'auto' },
        bottom: { xs: 'auto', sm: 12 },
        maxWidth: 420,
        boxShadow: 2,
      }}
    >
      {notice.message}
    </Alert>
  );
}
