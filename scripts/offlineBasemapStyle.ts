/** The offline basemap's maplibre style: water, land, country borders and US states. */
export const OFFLINE_COLORS = {
  water: '#b9d3e6',
  land: '#f4f1ea',
  border: '#9aa0a6',
  state: '#c3c7cc',
} as const;

export function offlineStyle() {
  return {
    version: 8,
    name: 'Offline (Natural Earth)',
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
      { id: 'water', type: 'background', paint: { 'background-color': OFFLINE_COLORS.water } },
      {
        id: 'land',
        type: 'fill',
        source: 'countries',
        paint: { 'fill-color': OFFLINE_COLORS.land, 'fill-antialias': true },
      },
      {
        id: 'states',
        type: 'line',
        source: 'states',
        minzoom: 2.5,
        paint: { 'line-color': OFFLINE_COLORS.state, 'line-width': 0.6 },
      },
      {
        id: 'borders',
        type: 'line',
        source: 'borders',
        paint: { 'line-color': OFFLINE_COLORS.border, 'line-width': 0.8 },
      },
    ],
  };
}
