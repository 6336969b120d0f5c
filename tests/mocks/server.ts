import { setupServer } from 'msw/node';
import { handlers } from './handlers';

/** One MSW server for every Vitest test; tests add per-case handlers with `server.use`. */
export const server = setupServer(...handlers);

/** Counts calls to a URL (e.g. the token endpoint), to prove that a rejected answer never got there. */
export function countRequests(url: string) {
  const calls = { count: 0 };
  server.events.on('request:start', ({ request }) => {
    if (request.url === url) calls.count++;
  });
  return calls;
}
