/**
 * CARTO's `_carto_feature_id`: a feature's id derived from its geometry (features with the same
 * geometry share it). Vector tiles carry it when a source's `columns` ask for it, and the `pick`
 * model (`getFeatures`) reads the rows of the ids a client picked on the map.
 */
export const FEATURE_ID_COLUMN = '_carto_feature_id';

/** SQL for a row's feature id: a hash of its geometry's GeoJSON text, as digits. */
export const featureIdSql = (geom = 'geom') => `CAST(hash(CAST(${geom} AS VARCHAR)) AS VARCHAR)`;
