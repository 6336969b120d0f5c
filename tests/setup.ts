import '@testing-library/jest-dom/vitest';
import { Buffer } from 'node:buffer';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
// The MSW-mocked CARTO platform, as in the Node project; this file adds the DOM's part.
import './setup.node';

// jsdom installs its own realm's ArrayBuffer/Uint8Array, but Node's WebCrypto (which jsdom
// lacks and tests use) returns Node's: `instanceof` checks in libraries such as oauth4webapi
// then fail. Put Node's constructors back; nothing of the app is replaced.
const nodeUint8Array = (
  Object.getPrototypeOf(Buffer.prototype) as { constructor: Uint8ArrayConstructor }
).constructor;
globalThis.Uint8Array = nodeUint8Array;
globalThis.ArrayBuffer = Buffer.alloc(0).buffer.constructor as ArrayBufferConstructor;

afterEach(() => {
  cleanup();
});
