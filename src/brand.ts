/**
 * THE file to edit to rebrand the app: its fonts and colours, in light and dark (its name is
 * `appName` in src/store/initialStateSlice.ts). The MUI
 * theme (src/theme.ts) and the first screen's CSS variables (written into index.html at build
 * time by scripts/lib/brandCss.ts, so the login screen and header need no JS to be styled) both
 * come from here.
 */

/** The colours of one mode. Text colours must keep a 4.5:1 contrast on `background`/`surface`. */
export interface BrandColors {
  /** Buttons, links, the selected tab. */
  primary: string;
  /** The primary colour under the pointer. */
  primaryHover: string;
  /** Text on `primary`. */
  onPrimary: string;
  secondary: string;
  /** The page behind panels. */
  background: string;
  /** Panels, cards, menus. */
  surface: string;
  text: string;
  textMuted: string;
  border: string;
  /** The header bar and its text. */
  header: string;
  onHeader: string;
  error: string;
  errorSurface: string;
  warningSurface: string;
  infoSurface: string;
  /** The SQL editor's syntax colours (4.5:1 on `surface` and on `infoSurface`, its current line). */
  codeKeyword: string;
  codeString: string;
  codeNumber: string;
  codeComment: string;
  /** Types and built-in functions. */
  codeBuiltin: string;
}

export interface Brand {
  fontFamily: string;
  monoFontFamily: string;
  /** Corner radius in px. */
  radius: number;
  light: BrandColors;
  dark: BrandColors;
}

export const brand: Brand = {
  // To ship a web font, self-host it (the CSP allows fonts from the app's origin only) and put
  // its name first.
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif',
  monoFontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
  radius: 6,
  light: {
    primary: '#036fe2',
    primaryHover: '#0257b5',
    onPrimary: '#ffffff',
    secondary: '#47db99',
    background: '#f8f9f9',
    surface: '#ffffff',
    text: '#2c3032',
    textMuted: '#5f676c',
    border: '#dde1e3',
    header: '#036fe2',
    onHeader: '#ffffff',
    error: '#c62828',
    errorSurface: '#fdecea',
    warningSurface: '#fff4e5',
    infoSurface: '#e8f2fd',
    codeKeyword: '#7b2fb5',
    codeString: '#166c31',
    codeNumber: '#9a4d00',
    codeComment: '#5f676c',
    codeBuiltin: '#0b6e99',
  },
  dark: {
    primary: '#6cb2ff',
    primaryHover: '#93c6ff',
    onPrimary: '#0b1a2b',
    secondary: '#47db99',
    background: '#121517',
    surface: '#1c2124',
    text: '#e8eaeb',
    textMuted: '#a5adb3',
    border: '#353c41',
    header: '#162945',
    onHeader: '#ffffff',
    error: '#f28b82',
    errorSurface: '#3b1f1d',
    warningSurface: '#3a2c16',
    infoSurface: '#172a40',
    codeKeyword: '#d2a8ff',
    codeString: '#7ee787',
    codeNumber: '#ffa657',
    codeComment: '#a5adb3',
    codeBuiltin: '#79c0ff',
  },
};
