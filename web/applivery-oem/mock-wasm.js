// The mock's wasm for the ES module entry (mock.js): instantiated at import (top-level await), so
// every test control is synchronous. The CommonJS entry (mock.cjs) replaces this file with
// mock-wasm-node.js.
import { MockCore, initSync } from './applivery_mock.js';
import gzipBase64 from './applivery_mock_bg.wasm';
import { inflate } from './inflate.js';

initSync({ module: await WebAssembly.compile(await inflate(gzipBase64)) });

export { MockCore };
