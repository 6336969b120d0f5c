import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** One tab of the side panel: a route, its label, a one-line description and a lazy chunk. */
export interface ViewEntry {
  path: string;
  label: string;
  /** One line under the tabs that says what the view is for. */
  description: string;
  Component: LazyExoticComponent<ComponentType>;
}

// Each view is a chunk of its own, loaded when its tab opens. New views go at the end (the
// generator appends before the marker below).
export const VIEWS: readonly ViewEntry[] = [
  {
    path: '/',
    label: 'Datasets',
    description: 'Your tables in CARTO: put one on the map, as points, cells or clusters.',
    Component: lazy(() =>
      import('./datasets/DatasetsView').then((m) => ({ default: m.DatasetsView })),
    ),
  },
  {
    path: '/stores',
    label: 'Stores',
    description:
      '20,000 retail stores across the US, coloured by type. Hover a store for its details; the figures below are for the stores in view.',
    Component: lazy(() => import('./stores/StoresView').then((m) => ({ default: m.StoresView }))),
  },
  {
    path: '/isochrones',
    label: 'Isochrones',
    description: 'Click on the map, or on a store, to see the area reachable from there.',
    Component: lazy(() =>
      import('./isochrones/IsochroneView').then((m) => ({ default: m.IsochroneView })),
    ),
  },
  {
    path: '/sql',
    label: 'SQL',
    description:
      'Run SQL on your connection, save queries by name; rows with a geom column are drawn on the map.',
    Component: lazy(() => import('./sql/SqlView').then((m) => ({ default: m.SqlView }))),
  },
  // generator:views (new views are added above this line)
];
