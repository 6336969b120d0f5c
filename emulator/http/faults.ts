/**
 * Fault injection, for tests of how the app copes with a failing platform: per route, answer
 * 500 or 503, answer slowly, garble the body, or drop the connection. Off unless the emulator
 * is started with `--faults` (EMULATOR_FAULTS=1) or `createEmulator(..., { faults: true })`;
 * then `PUT /__faults` sets them, `GET` lists them and `DELETE` clears them. Never enable it on
 * a shared machine: anyone who can reach the port can break the emulator for everyone.
 */
import type { IncomingMessage } from 'node:http';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';

const FaultSchema = z.strictObject({
  /** A path prefix (`/v3/maps`) or exact path; `*` for every route but `/__faults`. */
  route: z.string().min(1, 'route must not be empty'),
  /** Only this method (GET, POST, ...); every method when left out. */
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .optional(),
  kind: z.enum(['error', 'unavailable', 'slow', 'garbled', 'reset']),
  /** For `slow`: how long to wait before answering (default 3 s, at most 60 s). */
  delayMs: z.number().int().min(0).max(60_000).optional(),
  /** How many matching requests it affects before it clears itself; every one when left out. */
  times: z.number().int().min(1).optional(),
});
const FaultsSchema = z.array(FaultSchema);

export type Fault = z.output<typeof FaultSchema>;

interface ActiveFault extends Fault {
  /** Requests it has affected. */
  hits: number;
}

const CONTROL_PATH = '/__faults';
/** Marks a dropped connection for an in-process `fetch`, which has no socket to drop. */
const RESET_HEADER = 'X-Emulator-Fault-Reset';

/** In process (tests through MSW), a dropped connection is a network error, as fetch says. */
export const asNetworkError = (response: Response): Response =>
  response.headers.has(RESET_HEADER) ? Response.error() : response;

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method !== method) return false;
  if (fault.route === '*') return true;
  return (
    path === fault.route ||
    path.startsWith(fault.route.endsWith('/') ? fault.route : `${fault.route}/`)
  );
}

/** The body cut short and followed by bytes that are not what its content type says. */
function garble(body: ArrayBuffer): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(body);
  const kept = bytes.subarray(0, Math.floor(bytes.length / 2));
  const junk = new TextEncoder().encode('\u0000\u00ff<garbled>{"');
  const out = new Uint8Array(new ArrayBuffer(kept.length + junk.length));
  out.set(kept);
  out.set(junk, kept.length);
  return out;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  set(faults: Fault[]): void {
    this.faults = faults.map((f) => ({ ...f, hits: 0 }));
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The fault for this request, counted; spent ones are dropped. */
  private take(method: string, path: string): Fault | null {
    const fault = this.faults.find((f) => matches(f, method, path));
    if (!fault) return null;
    fault.hits++;
    if (fault.times !== undefined && fault.hits >= fault.times)
      this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  /** Applies the faults to every route but the control one. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (c.req.path === CONTROL_PATH) return next();
      const fault = this.take(c.req.method, c.req.path);
      if (!fault) return next();
      switch (fault.kind) {
        case 'error':
          return c.json({ error: 'Injected fault: internal error', status: 500 }, 500);
        case 'unavailable':
          c.header('Retry-After', '1');
          return c.json({ error: 'Injected fault: service unavailable', status: 503 }, 503);
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 3_000));
          return next();
        case 'reset': {
          // Served by Node: drop the socket. In process (tests through MSW): a network error.
          const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
          incoming?.socket.destroy();
          return new Response(null, { status: 500, headers: { [RESET_HEADER]: '1' } });
        }
        case 'garbled': {
          await next();
          const original = c.res;
          const body = garble(await original.arrayBuffer());
          const headers = new Headers(original.headers);
          headers.delete('Content-Length');
          headers.delete('Content-Encoding');
          c.res = new Response(body, { status: original.status, headers });
          return;
        }
      }
    };
  }

  /** `GET | PUT | DELETE /__faults`. */
  routes(): Hono {
    const app = new Hono();
    app.get(CONTROL_PATH, (c) => c.json({ faults: this.list() }));
    app.put(CONTROL_PATH, async (c) => {
      const parsed = FaultsSchema.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.join('.') ?? '';
        return c.json(
          {
            error: `Invalid faults${where ? ` at ${where}` : ''}: ${issue?.message ?? 'not a list'}`,
            status: 400,
          },
          400,
        );
      }
      this.set(parsed.data);
      return c.json({ faults: this.list() });
    });
    app.delete(CONTROL_PATH, (c) => {
      this.clear();
      return c.body(null, 204);
    });
    return app;
  }
}
