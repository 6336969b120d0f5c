import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select, { type SelectChangeEvent } from '@mui/material/Select';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { basemapSelected, selectBasemap } from './mapSlice';
import { BASEMAP_CHOICES } from './basemaps';
import type { BasemapId } from '../../config/configTypes';

export function BasemapSelector() {
  const dispatch = useAppDispatch();
  const basemap = useAppSelector(selectBasemap);
  const onChange = (event: SelectChangeEvent) => {
    dispatch(basemapSelected(event.target.value as BasemapId));
  };
  return (
    <Paper
      elevation={2}
      sx={{ position: 'absolute', zIndex: 2, top: 12, right: 12, p: 1, minWidth: 200 }}
    >
      <FormControl size="small" fullWidth>
        <InputLabel id="basemap-label">Basemap</InputLabel>
        <Select labelId="basemap-label" label="Basemap" value={basemap} onChange={onChange}>
          {BASEMAP_CHOICES.map((b) => (
            <MenuItem key={b.id} value={b.id}>
              {b.label}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
    </Paper>
  );
}
