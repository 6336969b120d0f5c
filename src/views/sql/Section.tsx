import { useId, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';

/** A part of the console that opens and closes under a heading button. */
export function Section({
  title,
  children,
  defaultOpen = false,
  action,
}: {
  title: string;
  children: ReactNode;
  defaultOpen?: boolean;
  action?: ReactNode;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const id = useId();
  return (
    <Box component="section" aria-label={title}>
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <Button
          size="small"
          color="inherit"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
          startIcon={open ? <ExpandMoreIcon /> : <ChevronRightIcon />}
          sx={{ textTransform: 'none', fontWeight: 600, flex: 1, justifyContent: 'flex-start' }}
        >
          {title}
        </Button>
        {open && action}
      </Box>
      {open && <Box id={id}>{children}</Box>}
    </Box>
  );
}
