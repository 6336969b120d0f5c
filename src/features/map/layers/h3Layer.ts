import { H3TileLayer } from '@deck.gl/carto';
import { tileLayerProps, type LayerFactory } from './layerFactories';

/**
 * H3 cells aggregated by the API (spatial-index tiles, like quadbin's). A chunk of its own:
 * H3's cell geometry (h3-js) loads only for a map that has an H3 layer.
 */
export const h3: LayerFactory = (config, data, events) =>
  new H3TileLayer({
    ...tileLayerProps(config, data, events),
    // Cells side by side need no outline: one draw per tile instead of two (a world view has
    // a hundred tiles, one per H3 base cell).
    stroked: false,
  });
