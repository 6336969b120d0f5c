import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { Root } from '../../src/Root';
import ConfigErrorScreen from '../../src/components/ConfigErrorScreen';
import { render } from '@testing-library/react';
import { layerAdded, selectViewState, viewStateChanged } from '../../src/features/map/mapSlice';
import { renderWithProviders } from '../utils/renderWithProviders';
import { fakeMap } from '../utils/fakeMapGL';
import { server } from '../mocks/server';

const voyagerStyle = { version: 8, name: 'Voyager', sources: {}, layers: [] };

/** Waits until this test's map has rendered and registered its props. */
async function mapReady() {
  const map = await screen.findByTestId('fake-map', {}, { timeout: 5000 });
  await waitFor(() => {
    expect(fakeMap.props).not.toBeNull();
  });
  return map;
}

beforeEach(() => {
  fakeMap.props = null;
});

describe('App shell', () => {
  it('shows the app name, the side panel and an empty layer list', async () => {
    renderWithProviders(<Root appName="My CARTO App" />);
    expect(screen.getByRole('heading', { name: 'My CARTO App' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Login with CARTO' })).toBeInTheDocument();
    const panel = await screen.findByRole(
      'complementary',
      { name: 'Side panel' },
      { timeout: 5000 },
    );
    expect(within(panel).getByText(/No layers on the map yet/)).toBeInTheDocument();
    expect(within(panel).getByLabelText('Map view')).toHaveTextContent('30.000° N, 40.000° W');
    await mapReady();
  });

  it('falls back to the offline basemap when CARTO’s style cannot be fetched, and says so', async () => {
    const { store } = renderWithProviders(<Root appName="App" />);
    const map = await mapReady();
    await waitFor(() => expect(map).toHaveAttribute('data-style-name', 'Offline (Natural Earth)'));
    expect(store.getState().map.basemap).toBe('offline');
    expect(screen.getByRole('status')).toHaveTextContent(
      'The Positron basemap could not be loaded (network error — are you offline?)',
    );
  });

  it('switches basemaps from the selector, and Retry tries the failed one again', async () => {
    let voyagerUp = false;
    server.use(
      http.get('https://basemaps.cartocdn.com/gl/voyager-gl-style/style.json', () =>
        voyagerUp ? HttpResponse.json(voyagerStyle) : new HttpResponse(null, { status: 503 }),
      ),
    );
    const { store, user } = renderWithProviders(<Root appName="App" />);
    const map = await mapReady();

    await user.click(screen.getByRole('combobox', { name: 'Basemap' }));
    await user.click(await screen.findByRole('option', { name: 'Voyager' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('the style server answered 503'),
    );
    expect(store.getState().map.basemap).toBe('offline');

    voyagerUp = true;
    await user.click(within(screen.getByRole('status')).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(map).toHaveAttribute('data-style-name', 'Voyager'));
    expect(store.getState().map.basemap).toBe('voyager');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('a resize (a move event with the camera still) keeps the view', async () => {
    const { store } = renderWithProviders(<Root appName="App" />);
    await mapReady();
    const before = selectViewState(store.getState());
    // react-map-gl reports the user's last camera change on a resize, not the view shown.
    act(() => {
      fakeMap.props?.onMove({
        viewState: { longitude: 120, latitude: -10, zoom: 3, pitch: 0, bearing: 0 },
        target: { isMoving: () => false },
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(selectViewState(store.getState())).toEqual(before);
    expect(screen.getByTestId('fake-map').dataset.longitude).toBe(String(before.longitude));
  });

  it('writes the view to the store only once the map settles', async () => {
    const { store } = renderWithProviders(<Root appName="App" />);
    await mapReady();
    const before = selectViewState(store.getState());
    const move = (longitude: number) => {
      act(() => {
        fakeMap.props?.onMove({
          viewState: { longitude, latitude: 41.4, zoom: 5, pitch: 0, bearing: 0 },
          target: { isMoving: () => true },
        });
      });
    };
    move(1);
    move(2);
    move(2.17);
    // A pause in the middle of a drag is not a settled map: nothing is written.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(selectViewState(store.getState())).toEqual(before);
    act(() => fakeMap.props?.onMoveEnd());
    expect(selectViewState(store.getState()).longitude).toBe(2.17);
    expect(selectViewState(store.getState())).toEqual({
      longitude: 2.17,
      latitude: 41.4,
      zoom: 5,
      pitch: 0,
      bearing: 0,
    });
    expect(screen.getByLabelText('Map view')).toHaveTextContent('41.400° N, 2.170° E · zoom 5.00');
  });

  it('keeps panning when the store echoes a view the map already left', async () => {
    const { store } = renderWithProviders(<Root appName="App" />);
    await mapReady();
    const move = (longitude: number) => {
      act(() => {
        fakeMap.props?.onMove({
          viewState: { longitude, latitude: 41.4, zoom: 5, pitch: 0, bearing: 0 },
          target: { isMoving: () => true },
        });
      });
    };
    move(3);
    act(() => fakeMap.props?.onMoveEnd());
    expect(selectViewState(store.getState()).longitude).toBe(3);
    // The next drag has started by the time the store's view re-renders the map.
    move(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getByTestId('fake-map').dataset.longitude).toBe('4');
    act(() => fakeMap.props?.onMoveEnd());
    expect(selectViewState(store.getState()).longitude).toBe(4);
  });

  it('moves the map when the store’s view changes', async () => {
    const { store } = renderWithProviders(<Root appName="App" />);
    const map = await mapReady();
    act(() => {
      store.dispatch(
        viewStateChanged({ longitude: -74, latitude: 40.7, zoom: 10, pitch: 0, bearing: 0 }),
      );
    });
    expect(map).toHaveAttribute('data-longitude', '-74');
    expect(map).toHaveAttribute('data-zoom', '10');
  });

  it('lists layers with show/hide and remove', async () => {
    const { store, user } = renderWithProviders(<Root appName="App" />);
    act(() => {
      store.dispatch(
        layerAdded({
          id: 'l1',
          sourceId: 'stores',
          kind: 'vector',
          title: 'Retail stores',
          visible: true,
          style: {},
        }),
      );
    });
    // The layer list is a chunk of its own, loaded with the first layer.
    await user.click(
      await screen.findByRole('switch', { name: 'Show Retail stores' }, { timeout: 10_000 }),
    );
    expect(store.getState().map.layers.entities.l1?.visible).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Remove Retail stores' }));
    expect(store.getState().map.layers.ids).toEqual([]);
    expect(screen.getByText(/No layers on the map yet/)).toBeInTheDocument();
    await mapReady();
  });
});

describe('ConfigErrorScreen', () => {
  it('lists each problem with the setting and the fix', () => {
    render(
      <ConfigErrorScreen
        problems={[
          { setting: 'VITE_CARTO_AUTH_SERVER', message: 'must be a URL', fix: 'Use https://…' },
          { setting: 'VITE_CARTO_OAUTH_FLOW', message: '"x" is not valid', fix: 'Use pkce' },
        ]}
      />,
    );
    const items = within(screen.getByRole('list', { name: 'Configuration problems' })).getAllByRole(
      'listitem',
    );
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('VITE_CARTO_AUTH_SERVER');
    expect(items[0]).toHaveTextContent('How to fix: Use https://…');
    expect(screen.getByRole('heading')).toHaveTextContent('The app is not configured correctly');
  });
});
