import { describe, expect, it } from 'vitest';
import { brandCss } from '../../../scripts/lib/brandCss';
import { brand, type BrandColors } from '../../../src/brand';

describe('the brand as the first screen’s CSS variables', () => {
  const css = brandCss(brand);

  it('writes every colour, light by default and dark by the system or the user’s choice', () => {
    expect(css).toContain(`--primary:${brand.light.primary};`);
    expect(css).toContain(`--text-muted:${brand.light.textMuted};`);
    expect(css).toContain(
      `:root[data-theme=dark]{color-scheme:dark;--primary:${brand.dark.primary};`,
    );
    expect(css).toContain(
      '@media (prefers-color-scheme:dark){:root:not([data-theme=light]){color-scheme:dark;',
    );
    expect(css).toContain(`--font:${brand.fontFamily};`);
  });

  it('has the same colours in both modes', () => {
    expect(Object.keys(brand.dark).sort()).toEqual(Object.keys(brand.light).sort());
  });
});

/** WCAG 2.1's contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const v = parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the brand’s text colours are readable (4.5:1, WCAG AA)', () => {
  const texts = [
    'text',
    'textMuted',
    'codeKeyword',
    'codeString',
    'codeNumber',
    'codeComment',
    'codeBuiltin',
  ] as const;
  const grounds = ['background', 'surface', 'infoSurface'] as const;
  for (const mode of ['light', 'dark'] as const) {
    it(`in ${mode}`, () => {
      const colors: BrandColors = brand[mode];
      const weak = texts.flatMap((text) =>
        grounds
          .map((ground) => ({
            pair: `${text} on ${ground}`,
            ratio: contrast(colors[text], colors[ground]),
          }))
          .filter(({ ratio }) => ratio < 4.5)
          .map(({ pair, ratio }) => `${pair}: ${ratio.toFixed(2)}`),
      );
      expect(weak).toEqual([]);
    });
  }
  it('measures contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});
