// worker.js: owns the wasm module and the WebGPU device, so the page never freezes. The page
// sends {cmd, ...}; the worker answers {status, ...}. Calls into wasm never overlap: each goes
// through one queue, and the training and generation loops take one queued call per step or
// token, so Pause, Stop and other commands are handled between them.
import init, * as webtune from './pkg/webtune.js';

let session = null;
let baseModel = null;      // the loaded model.safetensors (a Blob), kept for "Download merged model"
let training = 'idle';     // idle | running | paused | stopping (also while the run is prepared)
let generating = false;
let stopGeneration = false;
let queue = Promise.resolve();
let loopActive = false;    // a trainLoop is between its first and last step
let modelParams = 0;       // parameters of the loaded model
// Merging in the page holds the base file, its f32 copy and the f32 output in wasm memory.
const MERGE_LIMIT = 3.5e9;

/** Run `fn` after every call queued before it. */
function queued(fn) {
  const next = queue.then(fn, fn);
  queue = next.catch(() => {});
  return next;
}

function fail(e, context) {
  postMessage({ status: 'error', kind: e?.kind ?? 'internal', message: String(e?.message ?? e), context });
}

const ready = init().then(async () => {
  postMessage({ status: 'ready', version: webtune.version() });
  try {
    session = await webtune.WebSession.open();
    postMessage({ status: 'info', report: JSON.parse(session.report()) });
  } catch (e) {
    fail(e, 'gpu');
  }
}, (e) => postMessage({ status: 'error', kind: 'load', message: `could not load the wasm package: ${e}`, context: 'gpu' }));

const bytes = (buf) => (buf ? new Uint8Array(buf) : undefined);

async function trainLoop() {
  if (loopActive) return; // a resumed run whose loop has not yet seen the pause: it goes on
  loopActive = true;
  try {
    await runSteps();
  } finally {
    loopActive = false;
  }
}

async function runSteps() {
  while (training === 'running') {
    let step;
    try {
      step = JSON.parse(await queued(() => session.trainStep()));
    } catch (e) {
      training = 'idle';
      fail(e, 'train');
      postMessage({ status: 'train-ended', reason: 'error' });
      return;
    }
    postMessage({ status: 'step', step });
    if (step.done) {
      training = 'idle';
      postMessage({ status: 'train-ended', reason: 'done' });
      return;
    }
  }
  if (training === 'stopping') {
    training = 'idle';
    postMessage({ status: 'train-ended', reason: 'stopped' });
  } else if (training === 'paused') {
    postMessage({ status: 'train-paused' });
  }
}

async function generate({ prompt, settings, slots }) {
  generating = true;
  stopGeneration = false;
  try {
    for (const { slot, adapter } of slots) {
      const n = await queued(() => session.startGeneration(slot, prompt, JSON.stringify(settings), adapter));
      postMessage({ status: 'gen-started', slot, promptTokens: n });
    }
    // Interleave the slots token by token, so both panes stream side by side.
    const live = new Set(slots.map((s) => s.slot));
    while (live.size && !stopGeneration) {
      for (const slot of [...live]) {
        const piece = JSON.parse(await queued(() => session.nextToken(slot)));
        postMessage({ status: 'token', slot, piece });
        if (piece.done) live.delete(slot);
        if (stopGeneration) break;
      }
    }
    postMessage({ status: 'gen-ended', reason: stopGeneration ? 'stopped' : 'done' });
  } catch (e) {
    fail(e, 'generate');
    postMessage({ status: 'gen-ended', reason: 'error' });
  } finally {
    generating = false;
  }
}

onmessage = async ({ data }) => {
  await ready;
  if (!session) {
    fail({ kind: 'no-webgpu', message: 'the GPU could not be opened' }, 'gpu');
    return;
  }
  try {
    switch (data.cmd) {
      case 'load-model': {
        if (training !== 'idle' || generating) throw { kind: 'busy', message: 'stop training and generation before loading another model' };
        const f = data.files;
        // The checkpoint stays a Blob (a File, or a cached download on disk): wasm reads it one
        // tensor at a time.
        const summary = await queued(() => session.loadModel(data.name, f.config, f.safetensors,
          bytes(f.tokenizer), bytes(f.vocab), bytes(f.merges)));
        baseModel = f.safetensors;
        modelParams = JSON.parse(summary).parameters;
        postMessage({ status: 'model', summary: JSON.parse(summary) });
        break;
      }
      case 'demo-model': {
        if (training !== 'idle' || generating) throw { kind: 'busy', message: 'stop training and generation first' };
        const summary = await queued(() => session.demoModel(data.seed ?? 0));
        baseModel = null;
        modelParams = JSON.parse(summary).parameters;
        postMessage({ status: 'model', summary: JSON.parse(summary) });
        break;
      }
      case 'estimate': {
        const e = webtune.estimateTraining(data.config, JSON.stringify(data.settings));
        postMessage({ status: 'estimate', estimate: JSON.parse(e), tag: data.tag });
        break;
      }
      case 'preset-config':
        postMessage({ status: 'preset-config', preset: data.preset, config: webtune.presetConfig(data.preset) });
        break;
      case 'train-start': {
        if (training !== 'idle') throw { kind: 'busy', message: 'a run is already going' };
        if (generating) throw { kind: 'busy', message: 'stop the generation before training' };
        // 'running' from here: a Pause or Stop sent while the run is prepared is kept.
        training = 'running';
        let plan;
        try {
          plan = await queued(() => session.prepareTraining(data.text, JSON.stringify(data.settings)));
        } catch (e) {
          training = 'idle';
          throw e;
        }
        postMessage({ status: 'train-plan', plan: JSON.parse(plan) });
        if (training === 'running') trainLoop();
        else if (training === 'paused') postMessage({ status: 'train-paused' });
        else {
          training = 'idle';
          postMessage({ status: 'train-ended', reason: 'stopped' });
        }
        break;
      }
      case 'train-pause':
        if (training === 'running') training = 'paused';
        break;
      case 'train-resume':
        if (generating) throw { kind: 'busy', message: 'stop the generation before resuming training' };
        if (training === 'paused') {
          training = 'running';
          trainLoop();
        }
        break;
      case 'train-stop':
        if (training === 'running') training = 'stopping';
        else if (training === 'paused') {
          training = 'idle';
          postMessage({ status: 'train-ended', reason: 'stopped' });
        }
        break;
      case 'generate':
        if (generating) throw { kind: 'busy', message: 'a generation is running' };
        if (training === 'running' || training === 'stopping') throw { kind: 'busy', message: 'pause training before generating' };
        generate(data);
        break;
      case 'gen-stop':
        stopGeneration = true;
        break;
      case 'export-adapter': {
        const [config, weights] = await queued(() => session.exportAdapter());
        postMessage({ status: 'adapter-files', config, weights: weights.buffer }, [weights.buffer]);
        break;
      }
      case 'export-merged': {
        const need = (baseModel ? baseModel.size : 0) + 8 * modelParams;
        if (need > MERGE_LIMIT) {
          throw { kind: 'data', message: `merging this model in the page needs about ${(need / 1e9).toFixed(1)} GB of WebAssembly memory, more than its 4 GB: download the adapter and merge with \`webtune merge\` or PEFT's merge_and_unload()` };
        }
        const base = baseModel ? new Uint8Array(await baseModel.arrayBuffer()) : new Uint8Array();
        const [config, weights] = await queued(() => session.exportMerged(base));
        postMessage({ status: 'merged-files', config, weights: weights.buffer }, [weights.buffer]);
        break;
      }
      case 'import-adapter': {
        if (training !== 'idle' || generating) throw { kind: 'busy', message: 'stop training and generation before loading an adapter' };
        const summary = await queued(() => session.importAdapter(data.config, bytes(data.weights)));
        postMessage({ status: 'adapter-loaded', summary: JSON.parse(summary) });
        break;
      }
      default:
        throw { kind: 'bad-command', message: `unknown command ${data.cmd}` };
    }
  } catch (e) {
    fail(e, data.cmd);
  }
};
