/**
 * Stands in for @luma.gl/gpgpu's WebGPU operations (its `operations/webgpu/index.js`). deck.gl
 * draws this app's layers with luma.gl's WebGL device only, so WebGPU compute is never asked
 * for; the bundler still put that backend's code (~13 kB) in the map's first chunk. With this
 * empty module a WebGPU device would get luma.gl's own error "webgpu backend does not implement
 * <operation>". See scripts/lib/bundlePlugins.ts (`noWebGpuOperations`) to undo it.
 */
export {};
