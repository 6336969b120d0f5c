import { useState } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import type {
  DateRange,
  NumberRange,
  ParameterType,
  ParameterValue,
} from '../../features/sqlParameters/sqlParameters';

export interface ParameterControlProps {
  type: ParameterType;
  /** What the control is called (a range's two fields add "from" and "to"). */
  label: string;
  value: ParameterValue;
  /** `immediate`: a finished choice (a date, a chip); otherwise typing, run after a pause. */
  onChange: (value: ParameterValue, immediate: boolean) => void;
}

const numberText = (value: number) => (Number.isFinite(value) ? String(value) : '');

/**
 * A number field that keeps what is being typed ("-", "1.") while it is not a number yet, and
 * hands on NaN for an empty or unfinished field (the query then says the value is missing).
 */
function NumberField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
}) {
  const [text, setText] = useState(() => numberText(value));
  // A new value from outside (not from this field's typing): show it.
  const parsed = text.trim() === '' ? Number.NaN : Number(text);
  const shown = Object.is(parsed, value) || (Number.isNaN(parsed) && Number.isNaN(value));
  return (
    <TextField
      label={label}
      type="number"
      size="small"
      value={shown ? text : numberText(value)}
      onChange={(event) => {
        setText(event.target.value);
        onChange(event.target.value.trim() === '' ? Number.NaN : Number(event.target.value));
      }}
      sx={{ flex: 1, minWidth: 0 }}
    />
  );
}

const dateSlotProps = { inputLabel: { shrink: true } } as const;

/** The control for one parameter's value, by its type (MUI fields; no chart or date library). */
export function ParameterControl({ type, label, value, onChange }: ParameterControlProps) {
  switch (type) {
    case 'text':
      return (
        <TextField
          label={label}
          size="small"
          fullWidth
          value={value}
          onChange={(event) => onChange(event.target.value, false)}
        />
      );
    case 'text-multiple':
      return (
        <Autocomplete
          multiple
          freeSolo
          autoSelect
          size="small"
          options={[]}
          value={value as string[]}
          onChange={(_event, next) => onChange(next, true)}
          renderInput={(params) => (
            <TextField {...params} label={label} placeholder="Type a value, then Enter" />
          )}
        />
      );
    case 'number':
      return (
        <Box sx={{ display: 'flex' }}>
          <NumberField
            label={label}
            value={value as number}
            onChange={(next) => onChange(next, false)}
          />
        </Box>
      );
    case 'number-range': {
      const range = value as NumberRange;
      return (
        <Box sx={{ display: 'flex', gap: 1 }}>
          <NumberField
            label={`${label} from`}
            value={range.from}
            onChange={(from) => onChange({ ...range, from }, false)}
          />
          <NumberField
            label={`${label} to`}
            value={range.to}
            onChange={(to) => onChange({ ...range, to }, false)}
          />
        </Box>
      );
    }
    case 'date': {
      const range = value as DateRange;
      return (
        <Box sx={{ display: 'flex', gap: 1 }}>
          {(['from', 'to'] as const).map((end) => (
            <TextField
              key={end}
              label={`${label} ${end}`}
              type="date"
              size="small"
              value={range[end]}
              onChange={(event) => onChange({ ...range, [end]: event.target.value }, true)}
              slotProps={dateSlotProps}
              sx={{ flex: 1, minWidth: 0 }}
            />
          ))}
        </Box>
      );
    }
  }
}
