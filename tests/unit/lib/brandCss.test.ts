import { describe, expect, it } from 'vitest';
import { brandCss } from '../../../scripts/lib/brandCss';
import { brand } from '../../../src/brand';

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
