// worker.js: owns the wasm module and the WebGPU device; the page talks to it in messages
// {cmd, ...} -> {status, ...}. Keeps GPU work off the UI thread.
import init, * as webtune from './pkg/webtune.js';

const ready = init().then(() => postMessage({ status: 'ready', version: webtune.version() }),
  (e) => postMessage({ status: 'error', kind: 'load', message: `could not load the wasm package: ${e}` }));

onmessage = async ({ data }) => {
  await ready;
  try {
    switch (data.cmd) {
      case 'info': {
        const report = JSON.parse(await webtune.adapterInfo());
        postMessage({ status: 'info', report });
        break;
      }
      default:
        postMessage({ status: 'error', kind: 'bad-command', message: `unknown command ${data.cmd}` });
    }
  } catch (e) {
    postMessage({ status: 'error', kind: e?.kind ?? 'internal', message: String(e?.message ?? e) });
  }
};
