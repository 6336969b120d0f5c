import type { GeoJSON } from 'geojson';
import type { AppThunk } from '../../store/store';
import { bboxOf, type BBox } from '../../../protocol/geojson';
import { cartoApi, sourceRequest } from '../../api/cartoApi';
import { errorMessage } from '../../api/queryError';
import type { CartoQueryError } from '../../api/cartoApi';
import type { SourceDescriptor } from '../sources/sourcesSlice';
import { isRemoteSource } from '../sources/sourceCache';
import { selectLayerById } from './mapSlice';
import { fitMapTo } from './fitView';

/** The extent of inline GeoJSON (a FeatureCollection, a Feature or a geometry). */
function geojsonBounds(json: string): BBox | null {
  const parsed = JSON.parse(json) as GeoJSON;
  if (parsed.type === 'FeatureCollection') return bboxOf(parsed.features.map((f) => f.geometry));
  if (parsed.type === 'Feature') return bboxOf(parsed.geometry);
  return bboxOf(parsed);
}

/**
 * The extent of a source's features: inline GeoJSON's own, a CARTO source's from its TileJSON
 * (the request the layer made, cached by the data layer).
 */
const sourceBounds =
  (descriptor: SourceDescriptor): AppThunk<Promise<BBox | null>> =>
  async (dispatch) => {
    if (!isRemoteSource(descriptor)) return geojsonBounds(descriptor.data);
    const tilejson = await dispatch(
      cartoApi.endpoints.createSource.initiate(sourceRequest(descriptor), { subscribe: false }),
    ).unwrap();
    const bounds: BBox = [...tilejson.bounds];
    return bounds.every(Number.isFinite) ? bounds : null;
  };

/**
 * Moves the map to a layer's features. Resolves to null when it did, or to what went wrong in
 * words the layer list can show.
 */
export const zoomToLayer =
  (layerId: string): AppThunk<Promise<string | null>> =>
  async (dispatch, getState) => {
    const layer = selectLayerById(getState(), layerId);
    const descriptor = layer && getState().sources.entities[layer.sourceId];
    if (!layer || !descriptor) return 'This layer is not on the map any more.';
    try {
      const bounds = await dispatch(sourceBounds(descriptor));
      if (!bounds) return `${layer.title} has no features to zoom to.`;
      dispatch(fitMapTo(bounds, { maxZoom: 14 }));
      return null;
    } catch (error) {
      return `Could not find where ${layer.title} is: ${errorMessage(error as CartoQueryError)}`;
    }
  };
