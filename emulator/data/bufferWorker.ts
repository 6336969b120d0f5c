import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Geometry } from 'geojson';

/**
 * Buffers of lines and polygons, computed by Turf (`@turf/buffer`: JSTS's buffer in an
 * azimuthal equidistant projection centred on the geometry) in a worker thread, waited for
 * synchronously with a deadline. DuckDB calls the spatial functions synchronously, and general
 * buffer code can take minutes on a few hundred self-crossing vertices: past the deadline the
 * worker is stopped (a new one starts for the next call), so no input can hold the emulator.
 */

export class BufferTimeout extends Error {}

interface Request {
  geometry: Geometry;
  radiusKm: number;
  steps: number;
}

type Reply = { geometry: Geometry | null } | { error: string };

// Plain JavaScript (the worker runs it as is): one request at a time, answered on its port,
// then a notify on the shared flag.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const buffer = require(workerData.turfBuffer);
const flag = new Int32Array(workerData.flag);
parentPort.on('message', ({ port, request }) => {
  let reply;
  try {
    const result = (buffer.default || buffer)(
      { type: 'Feature', geometry: request.geometry, properties: {} },
      request.radiusKm,
      { units: 'kilometers', steps: request.steps },
    );
    reply = { geometry: result && result.geometry ? result.geometry : null };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

let worker: { thread: Worker; flag: Int32Array } | null = null;

function startWorker() {
  const shared = new SharedArrayBuffer(4);
  const thread = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      flag: shared,
      turfBuffer: createRequire(import.meta.url).resolve('@turf/buffer'),
    },
  });
  // The emulator may exit with the worker idle.
  thread.unref();
  return { thread, flag: new Int32Array(shared) };
}

/** The buffer, or null when nothing is left (a polygon shrunk away); throws past `deadlineMs`. */
export function bufferInWorker(request: Request, deadlineMs: number): Geometry | null {
  worker ??= startWorker();
  const { thread, flag } = worker;
  const { port1, port2 } = new MessageChannel();
  Atomics.store(flag, 0, 0);
  thread.postMessage({ port: port2, request }, [port2]);
  const waited = Atomics.wait(flag, 0, 0, deadlineMs);
  const message = waited === 'timed-out' ? undefined : receiveMessageOnPort(port1);
  port1.close();
  if (!message) {
    void thread.terminate();
    worker = null;
    throw new BufferTimeout(`took over ${deadlineMs / 1000} s`);
  }
  const reply = message.message as Reply;
  if ('error' in reply) throw new Error(reply.error);
  return reply.geometry;
}
