import type { LayerConfig, RGBA } from './mapSlice';
import { binLabels, DEFAULT_FILL, OTHERS_COLOR } from './layers/layerStyle';

const css = ([r, g, b, a]: RGBA) => `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;

/** The layer's entries: one per category (and "Others"), one per class, or its one colour. */
function legendEntries(layer: LayerConfig): [string, RGBA][] {
  const { colorBy, colorBins, fillColor, lineColor } = layer.style;
  if (colorBy) {
    return [
      ...colorBy.domain.map((name, i): [string, RGBA] => [
        name,
        colorBy.colors[i % colorBy.colors.length] ?? DEFAULT_FILL,
      ]),
      ['Others', OTHERS_COLOR],
    ];
  }
  if (layer.kind === 'cluster') {
    // One colour; what varies is the size and the number: how many points each circle holds.
    return [['Nearby points; the number says how many', fillColor ?? DEFAULT_FILL]];
  }
  if (colorBins && layer.style.heatmap) {
    // A heatmap shows density, not classes: its scale runs from its first colour to its last.
    return [
      ['Low', colorBins.colors[0] ?? DEFAULT_FILL],
      ['High', colorBins.colors[colorBins.colors.length - 1] ?? DEFAULT_FILL],
    ];
  }
  if (colorBins) {
    return binLabels(colorBins.thresholds).map((label, i) => [
      label,
      colorBins.colors[i] ?? DEFAULT_FILL,
    ]);
  }
  return [[layer.title, fillColor ?? lineColor ?? DEFAULT_FILL]];
}

/** The layer's legend: one swatch, or one per category or class; greyed out while hidden. */
export function Legend({ layer }: { layer: LayerConfig }) {
  const entries = legendEntries(layer);
  const caption = layer.style.colorBy?.column ?? layer.style.colorBins?.column;
  return (
    <ul
      aria-label={`Legend of ${layer.title}${layer.visible ? '' : ' (hidden)'}`}
      style={{
        listStyle: 'none',
        margin: '2px 0 0',
        padding: 0,
        fontSize: 12,
        opacity: layer.visible ? 1 : 0.4,
        filter: layer.visible ? undefined : 'grayscale(1)',
      }}
    >
      {caption && <li style={{ fontStyle: 'italic' }}>{caption}</li>}
      {entries.map(([name, color]) => (
        <li key={name} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
          <span
            aria-hidden
            style={{
              width: 10,
              height: 10,
              borderRadius: 5,
              background: css(color),
              display: 'inline-block',
              flexShrink: 0,
            }}
          />
          {name}
        </li>
      ))}
    </ul>
  );
}
