// The wasm for the workerd entry (workerd.js): workerd refuses to compile wasm from bytes, but
// wrangler and miniflare hand a `.wasm` import over as a compiled `WebAssembly.Module`. esbuild
// keeps this import as it is (external), so the package ships the file beside workerd.js.
import module from './applivery_oem_bg.wasm';

export function wasmSource() {
  return module;
}

/**
 * workerd refuses `redirect: 'error'` ("must be one of follow or manual"): a 3xx is answered as it
 * is and reported with its status, as the facade does.
 */
export const redirect = 'manual';
