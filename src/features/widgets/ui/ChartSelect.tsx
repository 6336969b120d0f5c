import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';

interface Props<T extends string | number> {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

/** A compact select in a widget's header (a histogram's bins, a time series' step). */
export function ChartSelect<T extends string | number>({
  label,
  value,
  options,
  onChange,
}: Props<T>) {
  return (
    <TextField
      select
      size="small"
      variant="standard"
      value={value}
      onChange={(event) => {
        const next = options.find((option) => String(option.value) === event.target.value);
        if (next) onChange(next.value);
      }}
      slotProps={{ htmlInput: { 'aria-label': label } }}
      sx={{ minWidth: 72, mr: 0.5, '& .MuiInputBase-input': { fontSize: 13, py: 0.25 } }}
    >
      {options.map((option) => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
