/**
 * Features by keyboard: with a layer chosen in the layer list, the arrow keys step through its
 * features in view (in reading order, top-left first). Each step selects the feature (so it
 * is highlighted and its card shows), rings it on the map and says what it is. Escape goes
 * back to the layer list. Part of the deck.gl chunk.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import { createPortal } from 'react-dom';
import { useMap } from 'react-map-gl/maplibre';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { PickingInfo } from '@deck.gl/core';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import {
  featureBrowsingEnded,
  featureSelected,
  selectBrowsingLayerId,
  selectLayerById,
  selectViewState,
  type LayerConfig,
} from './mapSlice';
import { featureFields, type FeatureField } from './featureFormat';
import { cellToBoundary } from 'quadbin';
import { cellToLatLng, isValidCell } from 'h3-js';
import { bboxOf } from '../../../protocol/geojson';
import { plainProperties, pointPosition } from './pickedFeature';

/** The most features one pass collects: enough to browse, bounded for picking's cost. */
const MAX_FEATURES = 500;

interface BrowsedFeature {
  properties: Record<string, string | number | boolean | null>;
  /** [longitude, latitude]: a point's own, a shape's or cell's centre. */
  position: [number, number] | null;
}

/** Where a picked feature is: a point, a shape's box centre, or a quadbin or H3 cell's centre. */
export function featurePosition(object: unknown): [number, number] | null {
  const point = pointPosition(object);
  if (point) return point;
  const { geometry, id } = (object ?? {}) as { geometry?: unknown; id?: unknown };
  if (geometry === undefined && typeof id === 'string' && isValidCell(id)) {
    const [lat, lng] = cellToLatLng(id);
    return [lng, lat];
  }
  const box =
    geometry !== undefined
      ? bboxOf(geometry)
      : typeof id === 'bigint'
        ? bboxOf(cellToBoundary(id))
        : null;
  return box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : null;
}

/** The features of `infos` in reading order on screen (top to bottom, then left to right). */
function inReadingOrder(
  infos: PickingInfo[],
  project: (position: [number, number]) => { x: number; y: number },
): BrowsedFeature[] {
  const features = infos.flatMap((info) => {
    const properties = plainProperties(info.object);
    return properties ? [{ properties, position: featurePosition(info.object) }] : [];
  });
  const rowHeight = 24;
  const key = (f: BrowsedFeature) => {
    if (!f.position) return [Infinity, Infinity];
    const { x, y } = project(f.position);
    return [Math.floor(y / rowHeight), x];
  };
  return features
    .map((feature) => ({ feature, key: key(feature) }))
    .sort((a, b) => (a.key[0] ?? 0) - (b.key[0] ?? 0) || (a.key[1] ?? 0) - (b.key[1] ?? 0))
    .map(({ feature }) => feature);
}

const describe = (fields: FeatureField[]) =>
  fields.map(({ name, value }) => `${name}: ${value}`).join(', ');

export default function FeatureBrowser({ overlay }: { overlay: MapboxOverlay }) {
  const { current: mapRef } = useMap();
  const layerId = useAppSelector(selectBrowsingLayerId);
  const layer = useAppSelector((state) => (layerId ? selectLayerById(state, layerId) : undefined));
  const viewState = useAppSelector(selectViewState);
  const map = mapRef?.getMap();

  // The features in view, read from what deck.gl drew, when browsing starts and again each
  // time the view settles (a new list starts at its first feature).
  const features = useMemo(() => {
    if (!layerId || !map) return [];
    const canvas = map.getCanvas();
    let infos: PickingInfo[];
    try {
      infos = overlay.pickObjects({
        x: 0,
        y: 0,
        width: canvas.clientWidth,
        height: canvas.clientHeight,
        layerIds: [layerId],
        maxObjects: MAX_FEATURES,
      });
    } catch (error) {
      // deck.gl is not drawing (yet, or any more): nothing to browse rather than a broken map.
      console.warn('The features in view could not be read:', error);
      return [];
    }
    return inReadingOrder(infos, (position) => map.project(position));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `viewState`: the map moved, so what is in view changed
  }, [layerId, map, overlay, viewState]);

  if (!layerId || !layer || !map) return null;
  return createPortal(
    <Browser
      key={features.length === 0 ? 'none' : JSON.stringify(viewState)}
      layer={layer}
      features={features}
      map={map}
    />,
    map.getContainer(),
  );
}

function Browser({
  layer,
  features,
  map,
}: {
  layer: LayerConfig;
  features: BrowsedFeature[];
  map: MaplibreMap;
}) {
  const dispatch = useAppDispatch();
  const [index, setIndex] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const layerId = layer.id;

  useEffect(() => {
    box.current?.focus();
  }, []);

  const current = features[Math.min(index, features.length - 1)];
  // The current feature is the selection: highlighted on the map, its card in the side panel.
  useEffect(() => {
    if (!current) return;
    dispatch(
      featureSelected({
        layerId,
        properties: current.properties,
        ...(current.position ? { position: current.position } : {}),
      }),
    );
  }, [current, dispatch, layerId]);

  const fields = current
    ? featureFields(current.properties, layer.idColumn ? { idColumn: layer.idColumn } : {})
    : [];

  const leave = () => {
    dispatch(featureBrowsingEnded());
    document.getElementById(`layer-title-${layerId}`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const last = features.length - 1;
    const next = {
      ArrowRight: index + 1,
      ArrowDown: index + 1,
      ArrowLeft: index - 1,
      ArrowUp: index - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (event.key === 'Escape') {
      event.preventDefault();
      leave();
    } else if (next !== undefined) {
      event.preventDefault();
      setIndex(Math.max(0, Math.min(last, next)));
    }
  };
  const at = current?.position ? map.project(current.position) : null;

  return (
    <>
      {at && (
        <div
          aria-hidden
          style={{
            position: 'absolute',
            left: at.x - 14,
            top: at.y - 14,
            width: 28,
            height: 28,
            borderRadius: '50%',
            border: '3px solid #ffd200',
            boxShadow: '0 0 0 2px rgba(0, 0, 0, 0.6)',
            pointerEvents: 'none',
            zIndex: 2,
          }}
        />
      )}
      <div
        ref={box}
        tabIndex={0}
        role="application"
        aria-roledescription="feature browser"
        aria-label={`Features of ${layer.title} in view. Arrow keys step through them, Escape goes back.`}
        onKeyDown={onKeyDown}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget)) dispatch(featureBrowsingEnded());
        }}
        style={{
          position: 'absolute',
          top: 8,
          left: 8,
          zIndex: 3,
          maxWidth: 300,
          padding: '8px 12px',
          background: 'var(--surface)',
          color: 'var(--text)',
          borderRadius: 4,
          boxShadow: '0 1px 4px rgba(0, 0, 0, 0.3)',
          font: '13px/1.4 var(--font)',
          outline: '2px solid var(--primary)',
        }}
      >
        <strong>
          {layer.title}:{' '}
          {features.length === 0
            ? 'no features in view'
            : `${index + 1} of ${features.length}${features.length === MAX_FEATURES ? '+' : ''}`}
        </strong>
        <div aria-live="polite" style={{ whiteSpace: 'pre-wrap' }}>
          {current ? describe(fields) || 'No details.' : 'Move the map or zoom out to find some.'}
        </div>
        <div style={{ color: 'var(--text-muted)', fontSize: 12, marginTop: 4 }}>
          ← → step · Home/End first/last · Esc back to the layers
        </div>
      </div>
    </>
  );
}
