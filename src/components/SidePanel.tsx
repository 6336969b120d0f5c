import { useEffect, useRef, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import { useTheme } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import { useAppSelector } from '../store/hooks';
import { selectSelectedFeature } from '../features/map/mapSlice';

/** The side panel's width on screens wide enough for a column. */
const SIDE_PANEL_WIDTH = 340;
/** What a closed bottom sheet leaves of itself on phones: its handle, a 44 px target and more. */
export const PEEK_HEIGHT = 56;
const PANEL_ID = 'side-panel';
/** A drag of the handle longer than this opens or closes the sheet; shorter is a tap. */
const SWIPE_PX = 24;

/**
 * Phones: every control a finger can hit is 44 px or more (WCAG 2.5.5), MUI's dense and small
 * ones and maplibre's too. Scoped to the workspace, so the theme stays as it is on a desk.
 */
export const PHONE_TARGETS = {
  '& button': { minHeight: 44 },
  '& .MuiButtonBase-root:not(.MuiSwitch-switchBase)': { minHeight: 44, minWidth: 44 },
  '& .MuiInputBase-root .MuiInputBase-input': { minHeight: 44, boxSizing: 'border-box' },
  // A small switch keeps its look; its (invisible) input, what a tap hits, grows to 44 px.
  '& .MuiSwitch-input': { top: 'calc(50% - 22px)', height: 44 },
  '& .maplibregl-ctrl-group button': { width: 44, height: 44 },
  '& .maplibregl-ctrl-attrib.maplibregl-compact': { minHeight: 44 },
  '& .maplibregl-ctrl-attrib-button': {
    width: 44,
    height: 44,
    backgroundPosition: 'center',
    backgroundRepeat: 'no-repeat',
  },
} as const;

interface SidePanelState {
  phone: boolean;
  open: boolean;
  setOpen: (open: boolean) => void;
  /** The button that shows and hides the column, over the map's corner (none on phones). */
  toggle: ReactNode;
}

/**
 * Open or closed, and how the panel is laid out: a bottom sheet below 600 px (closed at first,
 * the map is what a phone shows), a column beside the map above (open at first). The views
 * stay mounted either way: they own their sources and layers, and hiding must not remove them.
 */
export function useSidePanel(): SidePanelState {
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('sm'), { noSsr: true });
  const [choice, setChoice] = useState<boolean | null>(null);
  const open = choice ?? !phone;
  // A tap on a feature shows its details, which are in the panel: open it if it is closed.
  const selected = useAppSelector(selectSelectedFeature);
  const [seen, setSeen] = useState(selected);
  if (selected !== seen) {
    setSeen(selected);
    if (selected && !open) setChoice(true);
  }
  const toggle = phone ? null : (
    <IconButton
      onClick={() => setChoice(!open)}
      aria-label={open ? 'Hide panel' : 'Show panel'}
      aria-expanded={open}
      aria-controls={PANEL_ID}
      title={open ? 'Hide the side panel' : 'Show the side panel'}
      sx={{
        position: 'absolute',
        zIndex: 2,
        top: 12,
        left: 12,
        width: 44,
        height: 44,
        bgcolor: 'background.paper',
        boxShadow: 2,
        '&:hover': { bgcolor: 'background.paper' },
      }}
    >
      {open ? <ChevronLeftIcon /> : <ChevronRightIcon />}
    </IconButton>
  );
  return { phone, open, setOpen: setChoice, toggle };
}

/** The bottom sheet's handle: tap, Enter or Space toggle it; a swipe up or down opens or closes. */
function SheetHandle({ open, setOpen }: { open: boolean; setOpen: (open: boolean) => void }) {
  const from = useRef<number | null>(null);
  const swiped = useRef(false);
  return (
    <Box
      component="button"
      type="button"
      aria-expanded={open}
      aria-controls={`${PANEL_ID}-body`}
      onPointerDown={(event) => {
        from.current = event.clientY;
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerUp={(event) => {
        const start = from.current;
        from.current = null;
        if (start === null) return;
        const moved = event.clientY - start;
        if (Math.abs(moved) < SWIPE_PX) return;
        swiped.current = true;
        setOpen(moved < 0);
      }}
      onClick={() => {
        if (swiped.current) swiped.current = false;
        else setOpen(!open);
      }}
      sx={{
        flexShrink: 0,
        height: PEEK_HEIGHT,
        width: '100%',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        gap: 0.75,
        border: 0,
        borderBottom: open ? 1 : 0,
        borderColor: 'divider',
        bgcolor: 'transparent',
        color: 'text.primary',
        font: 'inherit',
        fontSize: 14,
        fontWeight: 500,
        cursor: 'pointer',
        touchAction: 'none',
        '&:focus-visible': { outline: 2, outlineColor: 'primary.main', outlineOffset: -4 },
      }}
    >
      <Box
        component="span"
        aria-hidden
        sx={{ width: 36, height: 4, borderRadius: 2, bgcolor: 'text.disabled' }}
      />
      {open ? 'Hide panel' : 'Show panel'}
    </Box>
  );
}

/** Views, layers and the selected feature: a column beside the map, or a sheet over it. */
export function SidePanel({ panel, children }: { panel: SidePanelState; children: ReactNode }) {
  const { phone, open, setOpen } = panel;
  const body = useRef<HTMLDivElement>(null);
  const selected = useAppSelector(selectSelectedFeature);
  // On a phone the details of a tapped feature are at the end of the sheet: bring them up.
  useEffect(() => {
    if (!selected || !phone) return;
    body.current
      ?.querySelector('[aria-label="Selected feature"]')
      ?.scrollIntoView({ block: 'nearest' });
  }, [selected, phone]);
  // One tree whatever the size (only the styles change): crossing 600 px keeps the views mounted.
  return (
    <Box
      component="aside"
      id={PANEL_ID}
      aria-label="Side panel"
      sx={
        phone
          ? {
              position: 'absolute',
              zIndex: 3,
              left: 0,
              right: 0,
              bottom: 0,
              height: open ? '65%' : PEEK_HEIGHT,
              display: 'flex',
              flexDirection: 'column',
              bgcolor: 'background.paper',
              borderTopLeftRadius: 12,
              borderTopRightRadius: 12,
              boxShadow: 8,
            }
          : {
              width: SIDE_PANEL_WIDTH,
              flexShrink: 0,
              borderRight: 1,
              borderColor: 'divider',
              bgcolor: 'background.paper',
              overflowY: 'auto',
              display: open ? 'block' : 'none',
            }
      }
    >
      {phone && <SheetHandle open={open} setOpen={setOpen} />}
      <Box
        ref={body}
        id={`${PANEL_ID}-body`}
        sx={
          phone
            ? { flex: 1, minHeight: 0, overflowY: 'auto', display: open ? 'block' : 'none' }
            : undefined
        }
      >
        {children}
      </Box>
    </Box>
  );
}
