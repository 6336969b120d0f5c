import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Aggregation, TimeStep, WidgetSpec } from '../widgetSpecs';
import type { ColumnKind } from './columnKinds';

type WidgetType = WidgetSpec['type'];
/** A widget before it has an id. */
export type NewWidget = WidgetSpec extends infer S
  ? S extends WidgetSpec
    ? Omit<S, 'id'>
    : never
  : never;

/** What each widget type is called, and which columns it takes. */
const TYPES: Record<WidgetType, { label: string; kind: ColumnKind | null }> = {
  formula: { label: 'Formula (count, sum, average, …)', kind: 'number' },
  category: { label: 'Category (bars)', kind: 'text' },
  pie: { label: 'Pie', kind: 'text' },
  histogram: { label: 'Histogram', kind: 'number' },
  timeseries: { label: 'Time series', kind: 'date' },
  range: { label: 'Range (min–max filter)', kind: 'number' },
  scatter: { label: 'Scatterplot', kind: 'number' },
  table: { label: 'Table', kind: null },
};
const OPERATIONS: { value: Aggregation; label: string }[] = [
  { value: 'count', label: 'Count' },
  { value: 'sum', label: 'Sum' },
  { value: 'avg', label: 'Average' },
  { value: 'min', label: 'Minimum' },
  { value: 'max', label: 'Maximum' },
];
const OPERATION_LABEL = Object.fromEntries(OPERATIONS.map((o) => [o.value, o.label]));

interface Props {
  /** The dataset's usable columns, by kind. */
  columns: Record<ColumnKind, string[]>;
  /** A new widget (its id is set by the caller). */
  onAdd: (spec: NewWidget) => void;
}

function ColumnSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      select
      size="small"
      label={label}
      value={options.includes(value) ? value : ''}
      onChange={(event) => onChange(event.target.value)}
    >
      {options.map((name) => (
        <MenuItem key={name} value={name}>
          {name}
        </MenuItem>
      ))}
    </TextField>
  );
}

/**
 * Adds a widget to a dataset's panel: pick what it shows (the widget type) and on which
 * column(s). Only columns that fit the type are offered; a type the dataset has no column for
 * says so.
 */
export function AddWidgetForm({ columns, onAdd }: Props) {
  const [type, setType] = useState<WidgetType>('category');
  const [column, setColumn] = useState('');
  const [second, setSecond] = useState('');
  const [operation, setOperation] = useState<Aggregation>('count');
  const [step, setStep] = useState<TimeStep>('year');
  const [tableColumns, setTableColumns] = useState<string[]>([]);

  const kind = TYPES[type].kind;
  const all = [...columns.text, ...columns.number, ...columns.date];
  const options = kind ? columns[kind] : all;
  const numbers = columns.number;
  const needsColumn = !(type === 'formula' && operation === 'count') && type !== 'table';
  const pick = options.includes(column) ? column : (options[0] ?? '');
  const pickSecond = numbers.includes(second) ? second : (numbers[1] ?? numbers[0] ?? '');
  const shownTable = tableColumns.length > 0 ? tableColumns : all.slice(0, 4);
  const missing = needsColumn && options.length === 0;

  const spec = (): NewWidget | null => {
    switch (type) {
      case 'formula':
        return operation === 'count'
          ? { type, title: 'Features', operation }
          : { type, title: `${OPERATION_LABEL[operation]} of ${pick}`, operation, column: pick };
      case 'category':
      case 'pie':
        return operation === 'count' || !pickSecond
          ? { type, title: pick, column: pick, operation: 'count' }
          : {
              type,
              title: `${pick} by ${OPERATION_LABEL[operation]?.toLowerCase()} of ${pickSecond}`,
              column: pick,
              operation,
              operationColumn: pickSecond,
            };
      case 'histogram':
        return { type, title: `${pick} distribution`, column: pick, bins: 10 };
      case 'timeseries':
        return { type, title: `${pick} by ${step}`, column: pick, step, operation: 'count' };
      case 'range':
        return { type, title: `${pick} range`, column: pick };
      case 'scatter':
        return { type, title: `${pickSecond} against ${pick}`, xColumn: pick, yColumn: pickSecond };
      case 'table':
        return shownTable.length > 0
          ? { type, title: 'Features in view', columns: shownTable }
          : null;
    }
  };

  return (
    <Box
      component="form"
      aria-label="Add a widget"
      onSubmit={(event) => {
        event.preventDefault();
        const next = spec();
        if (next && !missing) onAdd(next);
      }}
      sx={{ display: 'grid', gap: 1, gridTemplateColumns: '1fr 1fr', mt: 1 }}
    >
      <TextField
        select
        size="small"
        label="Widget"
        value={type}
        onChange={(event) => setType(event.target.value as WidgetType)}
        sx={{ gridColumn: '1 / -1' }}
      >
        {Object.entries(TYPES).map(([value, { label }]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
      {(type === 'formula' || type === 'category' || type === 'pie') && (
        <TextField
          select
          size="small"
          label="Operation"
          value={operation}
          onChange={(event) => setOperation(event.target.value as Aggregation)}
        >
          {OPERATIONS.filter(
            (o) => type === 'formula' || ['count', 'sum', 'avg'].includes(o.value),
          ).map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
      )}
      {needsColumn && options.length > 0 && (
        <ColumnSelect
          label={type === 'scatter' ? 'X axis' : 'Column'}
          value={pick}
          options={options}
          onChange={setColumn}
        />
      )}
      {(type === 'scatter' || ((type === 'category' || type === 'pie') && operation !== 'count')) &&
        numbers.length > 0 && (
          <ColumnSelect
            label={type === 'scatter' ? 'Y axis' : 'Of column'}
            value={pickSecond}
            options={numbers}
            onChange={setSecond}
          />
        )}
      {type === 'timeseries' && options.length > 0 && (
        <TextField
          select
          size="small"
          label="Step"
          value={step}
          onChange={(event) => setStep(event.target.value as TimeStep)}
        >
          {(['day', 'week', 'month', 'year'] as const).map((s) => (
            <MenuItem key={s} value={s}>
              By {s}
            </MenuItem>
          ))}
        </TextField>
      )}
      {type === 'table' && (
        <TextField
          select
          size="small"
          label="Columns"
          value={shownTable}
          onChange={(event) => {
            const value = event.target.value as unknown as string[] | string;
            setTableColumns(typeof value === 'string' ? value.split(',') : value);
          }}
          slotProps={{ select: { multiple: true } }}
          sx={{ gridColumn: '1 / -1' }}
        >
          {all.map((name) => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
      )}
      {missing && (
        <Typography variant="body2" color="text.secondary" sx={{ gridColumn: '1 / -1' }}>
          This dataset has no {kind === 'date' ? 'date' : kind === 'text' ? 'text' : 'numeric'}{' '}
          column for this widget.
        </Typography>
      )}
      <Button
        type="submit"
        variant="outlined"
        size="small"
        disabled={missing}
        sx={{ gridColumn: '1 / -1' }}
      >
        Add widget
      </Button>
    </Box>
  );
}
