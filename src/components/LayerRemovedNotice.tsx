import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';

/** A view's own layer was removed from the layer list: say so, and offer it back. */
export function LayerRemovedNotice({ title, onAddBack }: { title: string; onAddBack: () => void }) {
  return (
    <Alert
      severity="info"
      action={
        <Button color="inherit" size="small" onClick={onAddBack}>
          Add it back
        </Button>
      }
    >
      The “{title}” layer was removed from the map.
    </Alert>
  );
}
