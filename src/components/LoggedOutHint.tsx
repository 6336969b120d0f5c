import Typography from '@mui/material/Typography';

/** What a logged-out user needs to do to use a view, instead of an error or a dead button. */
export function LoggedOutHint({ children }: { children: string }) {
  return (
    <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
      {children}
    </Typography>
  );
}
