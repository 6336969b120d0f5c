/**
 * The brand (src/brand.ts) as CSS custom properties for the first screen's plain CSS
 * (src/styles/app.css): light by default, dark when the system asks for it and the user has not
 * chosen light, or when the user chose dark (`<html data-theme>`, src/features/theme/).
 * Written into the HTML pages at build time, so no script is needed to style the first paint.
 */
import { brand as defaultBrand, type Brand, type BrandColors } from '../../src/brand';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function colorVars(colors: BrandColors): string {
  return Object.entries(colors)
    .map(([name, value]) => `--${kebab(name)}:${value};`)
    .join('');
}

export function brandCss(brand: Brand = defaultBrand): string {
  const dark = `color-scheme:dark;${colorVars(brand.dark)}`;
  return [
    `:root{color-scheme:light;--font:${brand.fontFamily};--mono:${brand.monoFontFamily};` +
      `--radius:${brand.radius}px;${colorVars(brand.light)}}`,
    `:root[data-theme=dark]{${dark}}`,
    `@media (prefers-color-scheme:dark){:root:not([data-theme=light]){${dark}}}`,
  ].join('\n');
}
