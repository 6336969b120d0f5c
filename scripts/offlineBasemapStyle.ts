/** The offline basemap's maplibre style, light or dark: water, land, country borders and US states. */
export const OFFLINE_COLORS = {
  water: '#b9d3e6',
  land: '#f4f1ea',
  border: '#9aa0a6',
  state: '#c3c7cc',
} as const;

/** The dark style's colours, in the manner of CARTO's Dark Matter. */
export const OFFLINE_DARK_COLORS = {
  water: '#0e1316',
  land: '#2a2f33',
  border: '#5d666d',
  state: '#41484e',
} as const;

/** The style's file in public/basemap/ for a mode. */
export const offlineStyleFile = (mode: 'light' | 'dark') =>
  mode === 'dark' ? 'style-dark.json' : 'style.json';

export function offlineStyle(mode: 'light' | 'dark' = 'light') {
  const colors = mode === 'dark' ? OFFLINE_DARK_COLORS : OFFLINE_COLORS;
  return {
    version: 8,
    name: mode === 'dark' ? 'Offline (Natural Earth, dark)' : 'Offline (Natural Earth)',
    sources: {
      countries: {
        type: 'geojson',
        data: '/basemap/countries.geojson',
        attribution: 'Natural Earth',
      },
      borders: { type: 'geojson', data: '/basemap/borders.geojson' },
      states: { type: 'geojson', data: '/basemap/states.geojson', attribution: 'US Census Bureau' },
    },
    layers: [
      { id: 'water', type: 'background', paint: { 'background-color': colors.water } },
      {
        id: 'land',
        type: 'fill',
        source: 'countries',
        paint: { 'fill-color': colors.land, 'fill-antialias': true },
      },
      {
        id: 'states',
        type: 'line',
        source: 'states',
        minzoom: 2.5,
        paint: { 'line-color': colors.state, 'line-width': 0.6 },
      },
      {
        id: 'borders',
        type: 'line',
        source: 'borders',
        paint: { 'line-color': colors.border, 'line-width': 0.8 },
      },
    ],
  };
}
