import { onTestFinished } from 'vitest';
import { server } from '../mocks/server';

interface LoggedRequest {
  method: string;
  url: URL;
  authorization: string | null;
  signal: AbortSignal;
}

/**
 * Records every request the MSW server sees from now until the end of the current test (the
 * listener is removed when the test finishes). Paths are matched by substring.
 */
export function recordRequests() {
  const requests: LoggedRequest[] = [];
  const listener = ({ request }: { request: Request }) => {
    requests.push({
      method: request.method,
      url: new URL(request.url),
      authorization: request.headers.get('Authorization'),
      signal: request.signal,
    });
  };
  server.events.on('request:start', listener);
  onTestFinished(() => {
    server.events.removeListener('request:start', listener);
  });
  const matching = (path: string) => requests.filter((r) => r.url.pathname.includes(path));
  return {
    all: () => [...requests],
    matching,
    count: (path: string) => matching(path).length,
    authorizations: (path: string) => matching(path).map((r) => r.authorization),
  };
}
