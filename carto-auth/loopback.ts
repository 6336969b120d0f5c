import { createServer, type Server } from 'node:http';

class LoopbackError extends Error {}

export interface LoopbackServer {
  redirectUri: string;
  /** Resolves with the first request to the callback path (the authorization response). */
  callback: Promise<URL>;
  /** Tells the browser how the login ended, then closes the server. */
  finish: (ok: boolean, message: string) => void;
  close: () => Promise<void>;
}

const page = (title: string, message: string) =>
  `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${title}</title>` +
  `<body style="font-family:sans-serif;max-width:480px;margin:48px auto"><h1>${title}</h1><p>${message}</p></body>`;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A one-shot callback server on the loopback interface (RFC 8252): it answers the first request
 * to `/callback/` and nothing else, then closes.
 */
export async function startLoopback({
  port = 10000,
  host = 'localhost',
  timeoutMs = 5 * 60_000,
} = {}): Promise<LoopbackServer> {
  let resolveCallback!: (url: URL) => void;
  let rejectCallback!: (error: Error) => void;
  const callback = new Promise<URL>((resolve, reject) => {
    resolveCallback = resolve;
    rejectCallback = reject;
  });
  let pending: ((ok: boolean, message: string) => void) | null = null;
  let answered = false;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    if (url.pathname !== '/callback/' || answered) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    answered = true;
    pending = (ok, message) => {
      res
        .writeHead(ok ? 200 : 400, {
          'Content-Type': 'text/html; charset=utf-8',
          'Referrer-Policy': 'no-referrer',
          'Cache-Control': 'no-store',
        })
        .end(page(ok ? 'Logged in' : 'Login failed', `${escape(message)} You can close this tab.`));
    };
    resolveCallback(url);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new LoopbackError(
          error.code === 'EADDRINUSE'
            ? `port ${port} is in use: pass --port <n> (and register http://localhost:<n>/callback/ as a callback URL)`
            : `cannot listen on port ${port}: ${error.message}`,
        ),
      );
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const timer = setTimeout(
    () => rejectCallback(new LoopbackError('no login within 5 minutes')),
    timeoutMs,
  );
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(timer);
      // Let the answer page finish; idle (keep-alive) connections must not keep the server up.
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  void callback.catch(() => undefined);

  return {
    redirectUri: `http://${host}:${actualPort}/callback/`,
    callback,
    finish: (ok, message) => pending?.(ok, message),
    close,
  };
}
