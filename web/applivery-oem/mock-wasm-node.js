// The mock's wasm for the CommonJS entry (mock.cjs, for `require` in Node: Jest, Mocha): a
// CommonJS module cannot await at its top level, so the wasm is inflated and compiled
// synchronously, with Node's zlib (the entry is for Node only).
import { gunzipSync } from 'node:zlib';
import { MockCore, initSync } from './applivery_mock.js';
import gzipBase64 from './applivery_mock_bg.wasm';

initSync({ module: new WebAssembly.Module(gunzipSync(Buffer.from(gzipBase64, 'base64'))) });

export { MockCore };
