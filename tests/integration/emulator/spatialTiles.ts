import type { TilejsonResult } from '@carto/api-client';
// Importing @deck.gl/carto registers its tile loader (CartoSpatialTileLoader) with loaders.gl,
// which then picks it by Content-Type as it does in the browser.
import '@deck.gl/carto';
import { parse } from '@loaders.gl/core';

/** The aggregation the spatial-index contract tests ask of the sample population tables. */
export const SUMS = 'SUM(population) AS population, SUM(places) AS places';

/** A decoded cell: H3 ids are hex text, quadbin ids 64-bit integers. */
export interface Cell<Id> {
  id: Id;
  properties: Record<string, number | string>;
}

/**
 * Fetches tile `index` ({i}: a quadbin cell in hex, or an H3 cell) of a spatial-index source and
 * decodes it with deck.gl's own loader; no cells when the tile is empty (204).
 */
export async function spatialTile<Id extends bigint | string>(
  source: TilejsonResult,
  index: string,
  scheme: Id extends string ? 'h3' : 'quadbin',
  token: string,
) {
  const url = source.tiles[0]!.replace('{i}', index);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status === 204) return { response, cells: [] as Cell<Id>[] };
  const cells = (await parse(response, [], {
    worker: false,
    cartoSpatialTile: { scheme },
  } as never)) as Cell<Id>[];
  return { response, cells };
}
