/**
 * jsdom has no WebGL, so maplibre cannot create a map there. This module stands in for
 * `react-map-gl/maplibre` in the jsdom tests (vitest.config.ts resolves that import here): the
 * map renders its children and records the props the app passes, so tests can check the style
 * and view the app asks for and fire `onMove` as a user panning would. Real rendering is covered
 * by the e2e tests in Chromium.
 */
import { useEffect, type ReactNode } from 'react';

export interface FakeMapProps {
  longitude: number;
  latitude: number;
  zoom: number;
  pitch: number;
  bearing: number;
  mapStyle: { name?: string };
  onMove: (event: {
    viewState: Record<string, number>;
    target: { isMoving: () => boolean };
  }) => void;
  /** maplibre's `moveend`: the gesture (and its inertia) is over. */
  onMoveEnd: () => void;
  children?: ReactNode;
}

/** The maplibre map's methods a test's code under test calls, as the test defines them. */
type MaplibreStandIn = object;

export const fakeMap: {
  /** The props of the map rendered last. */
  props: FakeMapProps | null;
  /** What `useMap()` gives as the map: none unless a test sets one. */
  instance: MaplibreStandIn | null;
} = { props: null, instance: null };

export default function FakeMap(props: FakeMapProps) {
  useEffect(() => {
    fakeMap.props = props;
  });
  return (
    <div
      data-testid="fake-map"
      data-style-name={props.mapStyle.name}
      data-longitude={props.longitude}
      data-latitude={props.latitude}
      data-zoom={props.zoom}
    >
      {props.children}
    </div>
  );
}

export { FakeMap as Map };

export const NavigationControl = () => null;

export const useControl = () => ({ setProps: () => undefined });

/** No maplibre map in jsdom: what needs one (the keyboard feature browser) is given a stand-in. */
export const useMap = () => {
  const map = fakeMap.instance;
  return { current: map ? { getMap: () => map } : undefined };
};
