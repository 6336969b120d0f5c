/**
 * Sources and connection names shared by more than one view. Views never import each other:
 * what two views both draw is described here once.
 */
import type { RGBA } from '../features/map/mapSlice';
import type { SourceDescriptor } from '../features/sources/sourcesSlice';

/** The connection of CARTO's own Data Warehouse (and of the emulator's demo data). */
export const DEMO_CONNECTION = 'carto_dw';

export const STORE_TYPES = [
  'Supermarket',
  'Convenience',
  'Pharmacy',
  'Hardware',
  'Electronics',
  'Clothing',
];
/** CARTOColors "Bold". */
export const STORE_COLORS: RGBA[] = [
  [127, 60, 141, 230],
  [17, 165, 121, 230],
  [57, 105, 172, 230],
  [242, 183, 1, 230],
  [231, 63, 116, 230],
  [128, 186, 90, 230],
];

/** retail_stores as a source: shared by the views that draw stores. */
export const STORES_SOURCE: SourceDescriptor = {
  id: 'stores',
  type: 'table',
  connection: DEMO_CONNECTION,
  data: 'demo.retail_stores',
};

// generator:sources (new source descriptors are added above this line)
