/** CARTOColors (the `cartocolor` package ships no types): palettes by size, hex strings. */
declare module 'cartocolor' {
  type Palette = Readonly<Record<number, readonly string[]>> & { readonly tags: readonly string[] };
  export const Bold: Palette;
  export const Vivid: Palette;
  export const Prism: Palette;
  export const Safe: Palette;
  export const Pastel: Palette;
  export const Antique: Palette;
  export const Sunset: Palette;
  export const SunsetDark: Palette;
  export const Teal: Palette;
  export const Burg: Palette;
  export const Emrld: Palette;
  export const PurpOr: Palette;
  export const BluYl: Palette;
  export const Magenta: Palette;
  export const OrYel: Palette;
  export const Mint: Palette;
}
