/**
 * jsdom has no WebGL, so maplibre cannot create a map there. This stands in for the
 * `react-map-gl/maplibre` module only: it renders its children and records the props the app
 * passes, so tests can check the style and view the app asks for and fire `onMove` as a user
 * panning would. Real rendering is covered by the e2e tests in Chromium.
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

export const fakeMap: { props: FakeMapProps | null } = { props: null };

function FakeMap(props: FakeMapProps) {
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

export const fakeReactMapGL = {
  default: FakeMap,
  Map: FakeMap,
  NavigationControl: () => null,
  useControl: () => ({ setProps: () => undefined }),
  // No maplibre map in jsdom: what needs one (the keyboard feature browser) stays out.
  useMap: () => ({ current: undefined }),
};
