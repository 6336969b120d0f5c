import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import {
  defaultValue,
  nameProblem,
  PARAMETER_TYPE_LABELS,
  PARAMETER_TYPES,
  placeholders,
  type ParameterDeclaration,
  type ParameterType,
  type ParameterValue,
} from '../../features/sqlParameters/sqlParameters';
import { ParameterControl } from './ParameterControl';
import { EXAMPLE_SQL } from './parameterExample';

const code = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' };

/** A form to declare one more parameter: its name, type and default value. */
function AddParameter({
  declarations,
  onAdd,
}: {
  declarations: readonly ParameterDeclaration[];
  onAdd: (declaration: ParameterDeclaration) => void;
}) {
  const [name, setName] = useState('');
  const [type, setType] = useState<ParameterType>('text');
  const [initial, setInitial] = useState<ParameterValue>(() => defaultValue('text'));
  const problem = nameProblem(name, type, declarations);
  const add = () => {
    if (problem) return;
    onAdd({ name, type, default: initial } as ParameterDeclaration);
    setName('');
  };
  return (
    <Box
      component="form"
      aria-label="Add a parameter"
      onSubmit={(event) => {
        event.preventDefault();
        add();
      }}
      sx={{ display: 'grid', gap: 1, pt: 1 }}
    >
      <Box sx={{ display: 'flex', gap: 1 }}>
        <TextField
          label="Parameter name"
          size="small"
          value={name}
          onChange={(event) => setName(event.target.value.trim())}
          error={name !== '' && problem !== null}
          helperText={name !== '' ? problem : null}
          sx={{ flex: 1, minWidth: 0 }}
          slotProps={{ htmlInput: { spellCheck: false, autoCapitalize: 'none' } }}
        />
        <TextField
          select
          label="Type"
          size="small"
          value={type}
          onChange={(event) => {
            const next = event.target.value as ParameterType;
            setType(next);
            setInitial(defaultValue(next));
          }}
          sx={{ flex: 1, minWidth: 0 }}
        >
          {PARAMETER_TYPES.map((option) => (
            <MenuItem key={option} value={option}>
              {PARAMETER_TYPE_LABELS[option]}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <ParameterControl
        key={type}
        type={type}
        label="Default"
        value={initial}
        onChange={(value) => setInitial(value)}
      />
      <Box>
        <Button type="submit" size="small" variant="outlined" disabled={problem !== null}>
          Add parameter
        </Button>
      </Box>
    </Box>
  );
}

export interface SqlParametersProps {
  declarations: readonly ParameterDeclaration[];
  values: Readonly<Record<string, ParameterValue>>;
  onAdd: (declaration: ParameterDeclaration) => void;
  onRemove: (name: string) => void;
  onChange: (name: string, value: ParameterValue, immediate: boolean) => void;
  /** Puts a placeholder in the editor at the cursor. */
  onInsert: (placeholder: string) => void;
  onExample: () => void;
}

/**
 * The query's parameters, as CARTO Builder has them: a control for each (changing one runs
 * the query again with the new value bound), the placeholders to write in the SQL, and a form
 * to add one. A chunk of its own (MUI's Autocomplete and Popper are in it), asked for as soon
 * as the SQL view renders, so that they do not weigh on the editor's route.
 */
export default function SqlParameters({
  declarations,
  values,
  onAdd,
  onRemove,
  onChange,
  onInsert,
  onExample,
}: SqlParametersProps) {
  return (
    <Box sx={{ display: 'grid', gap: 1.5, px: 1 }}>
      {declarations.length === 0 && (
        <Typography variant="body2" color="text.secondary" component="div">
          Write <Box component="code">{'{{name}}'}</Box> in the query for a value chosen here (a
          date range or a number range as <Box component="code">{'{{name_from}}'}</Box> and{' '}
          <Box component="code">{'{{name_to}}'}</Box>). Values are sent apart from the SQL, never
          written into it. For example:
          <Box component="pre" sx={{ ...code, fontSize: 12, whiteSpace: 'pre-wrap', my: 0.5 }}>
            {EXAMPLE_SQL}
          </Box>
          <Button size="small" onClick={onExample}>
            Try the example
          </Button>
        </Typography>
      )}
      {declarations.map((declaration) => (
        <Box
          key={declaration.name}
          role="group"
          aria-label={`Parameter ${declaration.name}`}
          sx={{ display: 'grid', gap: 0.5 }}
        >
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {declaration.label ?? declaration.name}
            </Typography>
            <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
              {PARAMETER_TYPE_LABELS[declaration.type]}
            </Typography>
            {placeholders(declaration).map((placeholder) => (
              <Button
                key={placeholder}
                size="small"
                onClick={() => onInsert(placeholder)}
                aria-label={`Insert ${placeholder}`}
                title="Insert in the query"
                sx={{ ...code, textTransform: 'none', minWidth: 0, px: 0.5 }}
              >
                {placeholder}
              </Button>
            ))}
            <IconButton
              size="small"
              aria-label={`Remove parameter ${declaration.name}`}
              onClick={() => onRemove(declaration.name)}
            >
              <CloseIcon fontSize="small" />
            </IconButton>
          </Box>
          <ParameterControl
            type={declaration.type}
            label={declaration.name}
            value={values[declaration.name] ?? declaration.default}
            onChange={(value, immediate) => onChange(declaration.name, value, immediate)}
          />
        </Box>
      ))}
      <AddParameter declarations={declarations} onAdd={onAdd} />
    </Box>
  );
}
