/**
 * A layer's name and style: one colour, or colour by a column's categories or numeric classes
 * (CARTOColors palettes), point size, opacity and stroke. Everything it sets is plain data in
 * the store (and so in the link). A chunk of its own, loaded when the panel first opens.
 */
import { useState, type ChangeEvent } from 'react';
import Box from '@mui/material/Box';
import Slider from '@mui/material/Slider';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { skipToken } from '@reduxjs/toolkit/query';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { sourceRequest, useCreateSourceQuery } from '../../api/cartoApi';
import { errorMessage } from '../../api/queryError';
import { isRemoteSource } from '../sources/sourceCache';
import {
  isSpatialIndexLayer,
  layerUpdated,
  type LayerConfig,
  type LayerStyle,
  type RGBA,
} from './mapSlice';
import { DEFAULT_FILL, DEFAULT_LINE } from './layers/layerStyle';
import { paletteColors, QUALITATIVE, SEQUENTIAL } from './layers/palettes';
import {
  categoriesRule,
  classesRule,
  styleColumns,
  type ClassMethod,
  type StyleColumn,
} from './layers/styleRules';

const MAX_NAME = 80;
const SINGLE_COLORS = paletteColors('Bold', 11);
const STROKE_COLORS: [string, RGBA][] = [
  ['White', [255, 255, 255, 220]],
  ['Grey', [120, 120, 120, 255]],
  ['Black', [20, 20, 20, 255]],
];

const rgb = ([r, g, b]: RGBA) => `rgb(${r}, ${g}, ${b})`;
const hex = ([r, g, b]: RGBA) =>
  `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const sameRgb = (a: RGBA | undefined, b: RGBA) =>
  !!a && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** A row of colour buttons; the chosen one is pressed. */
function Swatches(props: {
  label: string;
  colors: [string, RGBA][];
  value: RGBA | undefined;
  onPick: (color: RGBA) => void;
}) {
  return (
    <Box role="group" aria-label={props.label} sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5 }}>
      {props.colors.map(([name, color]) => {
        const pressed = sameRgb(props.value, color);
        return (
          <Box
            key={name}
            component="button"
            type="button"
            title={name}
            aria-label={name}
            aria-pressed={pressed}
            onClick={() => props.onPick(color)}
            sx={{
              width: 20,
              height: 20,
              borderRadius: '50%',
              cursor: 'pointer',
              bgcolor: rgb(color),
              border: 2,
              borderColor: pressed ? 'text.primary' : 'divider',
              outlineOffset: 2,
            }}
          />
        );
      })}
    </Box>
  );
}

/** The layer's name: saved on Enter or when leaving the field; an empty name is not. */
function NameField({ layer }: { layer: LayerConfig }) {
  const dispatch = useAppDispatch();
  const [draft, setDraft] = useState(layer.title);
  const trimmed = draft.trim();
  const problem =
    trimmed === ''
      ? 'A layer needs a name.'
      : trimmed.length > MAX_NAME
        ? `At most ${MAX_NAME} characters.`
        : null;
  const save = () => {
    if (!problem && trimmed !== layer.title)
      dispatch(layerUpdated({ id: layer.id, title: trimmed }));
  };
  return (
    <TextField
      size="small"
      fullWidth
      label="Name"
      value={draft}
      error={problem !== null}
      helperText={problem ?? ' '}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={save}
      onKeyDown={(event) => {
        if (event.key === 'Enter') save();
        if (event.key === 'Escape') setDraft(layer.title);
      }}
    />
  );
}

/** A native select (light, and every platform's own picker), in MUI's field. */
function Choice(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: [value: string, label: string][];
}) {
  return (
    <TextField
      select
      size="small"
      fullWidth
      label={props.label}
      value={props.value}
      onChange={(event: ChangeEvent<HTMLInputElement>) => props.onChange(event.target.value)}
      slotProps={{ select: { native: true } }}
      sx={{ mb: 1.5 }}
    >
      {props.options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </TextField>
  );
}

function LabelledSlider(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  format: (value: number) => string;
  onChange: (value: number) => void;
}) {
  return (
    <Box sx={{ px: 1 }}>
      <Typography variant="caption" color="text.secondary" component="p">
        {props.label}: {props.format(props.value)}
      </Typography>
      <Slider
        size="small"
        value={props.value}
        min={props.min}
        max={props.max}
        step={props.step}
        getAriaValueText={props.format}
        onChange={(_, value) => props.onChange(value)}
        slotProps={{ input: { 'aria-label': props.label } }}
      />
    </Box>
  );
}

interface Options {
  palette: { qualitative: string; sequential: string };
  classes: number;
  /** Null until the user picks one: then the column's own default. */
  method: ClassMethod | null;
}

/** Values spanning orders of magnitude (populations, sums) read best in powers of 10. */
const defaultMethod = (column: { min: number; max: number }): ClassMethod =>
  column.max > 100 * Math.max(1, Math.abs(column.min)) ? 'magnitude' : 'equal';

/** Colour by a column: which column, palette, and for numbers how many classes and how. */
function ColorByColumn(props: { layer: LayerConfig; columns: StyleColumn[] }) {
  const { layer, columns } = props;
  const dispatch = useAppDispatch();
  const { colorBy, colorBins, fillColor } = layer.style;
  const alpha = fillColor?.[3] ?? 210;
  const [palette, setPalette] = useState({ qualitative: 'Bold', sequential: 'Sunset' });
  const [classes, setClasses] = useState(colorBins ? colorBins.thresholds.length + 1 : 5);
  const current = colorBy?.column ?? colorBins?.column ?? '';
  const [method, setMethod] = useState<ClassMethod | null>(null);

  const apply = (columnName: string, options: Options): Partial<LayerStyle> => {
    const column = columns.find((c) => c.name === columnName);
    if (!column) return { colorBy: undefined, colorBins: undefined };
    if (column.type === 'string') {
      const colors = paletteColors(options.palette.qualitative, 10, alpha);
      return {
        colorBy: categoriesRule(column.name, column.categories, colors),
        colorBins: undefined,
      };
    }
    const ramp = (count: number) => paletteColors(options.palette.sequential, count, alpha);
    return {
      colorBins: classesRule(
        column,
        options.method ?? defaultMethod(column),
        ramp,
        options.classes,
      ),
      colorBy: undefined,
    };
  };
  const update = (columnName: string, options: Options = { palette, classes, method }) =>
    dispatch(layerUpdated({ id: layer.id, style: apply(columnName, options) }));
  const column = columns.find((c) => c.name === current);

  return (
    <>
      <Choice
        label="Colour by"
        value={current}
        onChange={(name) => update(name)}
        options={[
          ['', 'One colour'],
          ...columns.map((c): [string, string] => [
            c.name,
            `${c.name} (${c.type === 'string' ? 'categories' : 'classes'})`,
          ]),
        ]}
      />
      {column?.type === 'string' && (
        <Choice
          label="Palette"
          value={palette.qualitative}
          onChange={(name) => {
            const next = { ...palette, qualitative: name };
            setPalette(next);
            update(current, { palette: next, classes, method });
          }}
          options={Object.keys(QUALITATIVE).map((name) => [name, name])}
        />
      )}
      {column?.type === 'number' && (
        <>
          <Choice
            label="Palette"
            value={palette.sequential}
            onChange={(name) => {
              const next = { ...palette, sequential: name };
              setPalette(next);
              update(current, { palette: next, classes, method });
            }}
            options={Object.keys(SEQUENTIAL).map((name) => [name, name])}
          />
          <Box sx={{ display: 'flex', gap: 1 }}>
            <Choice
              label="Classes"
              value={String(classes)}
              onChange={(value) => {
                setClasses(Number(value));
                update(current, { palette, classes: Number(value), method });
              }}
              options={[3, 4, 5, 6, 7].map((n) => [String(n), String(n)])}
            />
            <Choice
              label="Breaks"
              value={method ?? defaultMethod(column)}
              onChange={(value) => {
                setMethod(value as ClassMethod);
                update(current, { palette, classes, method: value as ClassMethod });
              }}
              options={[
                ['equal', 'Equal'],
                ['magnitude', 'Powers of 10'],
              ]}
            />
          </Box>
        </>
      )}
    </>
  );
}

/** The columns a layer can be coloured by: from its source's TileJSON (already cached). */
function useStyleColumns(layer: LayerConfig) {
  const descriptor = useAppSelector((state) => state.sources.entities[layer.sourceId]);
  const remote = descriptor && isRemoteSource(descriptor) ? descriptor : null;
  const tilejson = useCreateSourceQuery(remote ? sourceRequest(remote) : skipToken);
  return {
    columns: tilejson.data ? styleColumns(tilejson.data, layer.idColumn) : [],
    problem: tilejson.isError ? errorMessage(tilejson.error) : null,
    remote: remote !== null,
  };
}

export default function LayerSettings({ layer }: { layer: LayerConfig }) {
  const dispatch = useAppDispatch();
  const { columns, problem, remote } = useStyleColumns(layer);
  const style = layer.style;
  const setStyle = (changes: Partial<LayerStyle>) =>
    dispatch(layerUpdated({ id: layer.id, style: changes }));
  const byColumn = !!(style.colorBy ?? style.colorBins);
  const fill = style.fillColor ?? DEFAULT_FILL;

  return (
    <Box
      component="form"
      aria-label={`Style of ${layer.title}`}
      onSubmit={(e) => e.preventDefault()}
    >
      <NameField key={layer.title} layer={layer} />
      {remote && problem && (
        <Typography role="alert" variant="caption" color="error" component="p" sx={{ mb: 1 }}>
          The columns to colour by could not be read: {problem}
        </Typography>
      )}
      {isSpatialIndexLayer(layer) && style.colorBins && (
        <Choice
          label="Draw as"
          value={style.heatmap ? 'heatmap' : 'cells'}
          onChange={(value) => setStyle({ heatmap: value === 'heatmap' })}
          options={[
            ['cells', 'Cells, coloured by class'],
            ['heatmap', `Heatmap of ${style.colorBins.column}`],
          ]}
        />
      )}
      {columns.length > 0 && <ColorByColumn layer={layer} columns={columns} />}
      {!byColumn && !isSpatialIndexLayer(layer) && (
        <Box sx={{ mb: 1.5 }}>
          <Typography variant="caption" color="text.secondary" component="p">
            Colour
          </Typography>
          <Swatches
            label="Colour"
            colors={SINGLE_COLORS.map((c) => [hex(c), c])}
            value={style.fillColor ?? style.lineColor}
            onPick={([r, g, b]) =>
              setStyle(
                style.fillColor || !style.lineColor
                  ? { fillColor: [r, g, b, fill[3]] }
                  : { lineColor: [r, g, b, 255] },
              )
            }
          />
        </Box>
      )}
      <LabelledSlider
        label="Opacity"
        value={Math.round((style.opacity ?? 1) * 100)}
        min={5}
        max={100}
        step={5}
        format={(v) => `${v}%`}
        onChange={(v) => setStyle({ opacity: v / 100 })}
      />
      {layer.kind === 'vector' && (
        <LabelledSlider
          label="Point size"
          value={style.pointRadius ?? 3}
          min={1}
          max={20}
          step={1}
          format={(v) => `${v} px`}
          onChange={(v) => setStyle({ pointRadius: v })}
        />
      )}
      {!isSpatialIndexLayer(layer) && (
        <>
          <LabelledSlider
            label="Stroke width"
            value={style.lineWidth ?? 1}
            min={0}
            max={6}
            step={0.5}
            format={(v) => `${v} px`}
            onChange={(v) => setStyle({ lineWidth: v })}
          />
          <Box sx={{ px: 1, pb: 1 }}>
            <Typography variant="caption" color="text.secondary" component="p">
              Stroke colour
            </Typography>
            <Swatches
              label="Stroke colour"
              colors={STROKE_COLORS}
              value={style.lineColor ?? DEFAULT_LINE}
              onPick={(lineColor) => setStyle({ lineColor })}
            />
          </Box>
        </>
      )}
    </Box>
  );
}
