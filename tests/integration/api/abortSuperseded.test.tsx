/**
 * useAbortSuperseded next to useIsolinesQuery: moving on to new arguments aborts the request
 * still running for the old ones; React's StrictMode remount with the same arguments does not.
 */
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { delay, http } from 'msw';
import { useIsolinesQuery } from '../../../src/api/cartoApi';
import { useAbortSuperseded } from '../../../src/api/useAbortSuperseded';
import type { IsochroneArgs } from '../../../src/api/isochroneModel';
import { loginSucceeded } from '../../../src/features/oauth/oauthSlice';
import { EMULATOR_URL, m2mToken, sampleDataEmulator } from '../../mocks/emulator';
import { server } from '../../mocks/server';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

let ldsToken = '';
sampleDataEmulator(() => undefined);

const madrid: IsochroneArgs = { lng: -3.7038, lat: 40.4168, mode: 'walk', minutes: 15 };
const barcelona: IsochroneArgs = { lng: 2.1734, lat: 41.3851, mode: 'walk', minutes: 15 };

/** Shows where the area it got is centred (by its bounding box), or what it is doing. */
function Probe({ args }: { args: IsochroneArgs }) {
  const area = useIsolinesQuery(args);
  useAbortSuperseded('isolines', args);
  const geometry = area.data?.features[0]?.geometry;
  const ring = geometry?.type === 'Polygon' ? (geometry.coordinates[0] ?? []) : [];
  const lngs = ring.map(([lng = 0]) => lng);
  const centre = lngs.length ? (Math.min(...lngs) + Math.max(...lngs)) / 2 : null;
  return (
    <output data-testid="probe">
      {area.isFetching ? 'fetching' : centre === null ? 'none' : centre.toFixed(2)}
    </output>
  );
}

/** Delays the isolines answers whose origin matches `slow`, recording each request's signal. */
function slowIsolines(slow: IsochroneArgs | null, ms: number) {
  const seen: { origin: string; signal: AbortSignal }[] = [];
  server.use(
    http.get(`${EMULATOR_URL}/v3/lds/isolines`, async ({ request }) => {
      const origin = new URL(request.url).searchParams.get('origin') ?? '';
      seen.push({ origin, signal: request.signal });
      if (slow && origin === `${slow.lat.toFixed(6)},${slow.lng.toFixed(6)}`) await delay(ms);
      return undefined; // the emulator answers
    }),
  );
  return seen;
}

async function loggedInStore() {
  ldsToken ||= await m2mToken('m2m-lds');
  const { store } = makeOAuthTestStore();
  store.dispatch(
    loginSucceeded({ accessToken: ldsToken, expiresAt: null, grantedScopes: [], user: null }),
  );
  return store;
}

describe('useAbortSuperseded', () => {
  it('aborts the request for the previous arguments, and ends with the new answer', async () => {
    const seen = slowIsolines(madrid, 1500);
    const store = await loggedInStore();
    const { rerender } = renderWithProviders(<Probe args={madrid} />, { store });
    await waitFor(() => expect(seen).toHaveLength(1));
    const first = seen[0]!;
    expect(first.signal.aborted).toBe(false);

    rerender(<Probe args={barcelona} />);
    await waitFor(() => expect(first.signal.aborted).toBe(true), { timeout: 1000 });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent('2.17'));
    expect(seen.map((s) => s.origin)).toEqual(['40.416800,-3.703800', '41.385100,2.173400']);
    expect(seen[1]!.signal.aborted).toBe(false);
  });

  it('StrictMode’s double mount with the same arguments keeps its request', async () => {
    const seen = slowIsolines(madrid, 200);
    const store = await loggedInStore();
    renderWithProviders(
      <StrictMode>
        <Probe args={madrid} />
      </StrictMode>,
      { store },
    );
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent('-3.70'), {
      timeout: 3000,
    });
    expect(seen).toHaveLength(1);
    expect(seen.every((s) => !s.signal.aborted)).toBe(true);
    const query = Object.values(store.getState().cartoApi?.queries ?? {})[0];
    expect(query?.status).toBe('fulfilled');
  });
});
