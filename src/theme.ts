import { useMemo } from 'react';
import { createTheme, type Theme } from '@mui/material/styles';
import { brand } from './brand';
import type { ThemeMode } from './features/theme/themeMode';
import { useThemeMode } from './features/theme/themeModeStore';

/** The MUI theme of a mode, from the brand (src/brand.ts: edit colours and fonts there). */
function appTheme(mode: ThemeMode): Theme {
  const c = brand[mode];
  return createTheme({
    palette: {
      mode,
      primary: { main: c.primary, dark: c.primaryHover, contrastText: c.onPrimary },
      secondary: { main: c.secondary },
      error: { main: c.error },
      background: { default: c.background, paper: c.surface },
      text: { primary: c.text, secondary: c.textMuted },
      divider: c.border,
    },
    shape: { borderRadius: brand.radius },
    typography: {
      fontFamily: brand.fontFamily,
      button: { textTransform: 'none', fontWeight: 600 },
      subtitle2: { fontWeight: 600 },
    },
  });
}

/** The theme of the mode shown (the system's, or the one chosen with the header's toggle). */
export function useAppTheme(): Theme {
  const mode = useThemeMode();
  return useMemo(() => appTheme(mode), [mode]);
}
