// worker.js: owns the wasm module (www/pkg/webtune.js and its WebSession) and the WebGPU device,
// so the page never freezes. It answers protocol.js's requests through one table keyed by Req,
// posts protocol.js's events (every error with its kind and its request's id), and runs the
// training state machine of training.js. Calls into wasm never overlap: each goes through one
// queue, and the training and generation loops take one queued call per step or token, so
// Pause, Stop and other requests are handled between them.
import init, * as webtune from './pkg/webtune.js';
import { ErrorKind, Ev, Req, byKind, error, errorFrom, event, validateRequest } from './protocol.js';
import { Action, State, Training } from './training.js';

// The GPUDevice the wasm opens (through GPUAdapter.requestDevice), kept only so that
// Req.LOSE_DEVICE can destroy it: the page test's stand-in for a driver reset.
let device = null;
if (self.GPUAdapter) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    device = await requestDevice.apply(this, args);
    return device;
  };
}

let session = null;
let baseModel = null;      // the loaded model.safetensors (a Blob), kept for "Download merged model"
const run = new Training();
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

const tell = (kind, fields, transfer = []) => postMessage(event(kind, fields), transfer);
/** Post what was caught as an error answering request `id` (null: none). */
const fail = (e, id = null) => postMessage(errorFrom(e, id));
const busy = (message) => error(ErrorKind.BUSY, message);

// The matmul autotuner's choices for this adapter and build, kept in IndexedDB (workers have no
// localStorage), so that a later visit does not time the candidates again. Storage that is off
// or full only costs the timing: nothing here fails a request.
const TUNING_STORE = 'tuning';
let savedTuning = null;

function tuningDb() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('webtune', 1);
    open.onupgradeneeded = () => open.result.createObjectStore(TUNING_STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

function tuningRequest(mode, use) {
  return tuningDb().then((db) => new Promise((resolve, reject) => {
    const r = use(db.transaction(TUNING_STORE, mode).objectStore(TUNING_STORE));
    r.onsuccess = () => { resolve(r.result); db.close(); };
    r.onerror = () => { reject(r.error); db.close(); };
  }));
}

async function restoreTuning() {
  try {
    const [key] = await queued(() => session.tuning());
    const json = await tuningRequest('readonly', (s) => s.get(key));
    if (typeof json === 'string' && await queued(() => session.restoreTuning(key, json))) savedTuning = json;
  } catch { /* no IndexedDB: choices are timed this visit */ }
}

async function saveTuning() {
  try {
    const [key, json] = await queued(() => session.tuning()); // never beside another session call
    if (json !== savedTuning && json !== '{}') {
      await tuningRequest('readwrite', (s) => s.put(json, key));
      savedTuning = json;
    }
  } catch { /* storage off or full: the next visit times again */ }
}

const ready = init().then(async () => {
  tell(Ev.READY, { version: webtune.version(), defaults: JSON.parse(webtune.defaults()) });
  try {
    session = await webtune.WebSession.open();
    await restoreTuning();
    tell(Ev.GPU, { report: JSON.parse(session.report()) });
  } catch (e) {
    fail(e);
  }
}, (e) => postMessage(error(ErrorKind.LOAD, `could not load the wasm package: ${e}`)));

const bytes = (buf) => (buf ? new Uint8Array(buf) : undefined);

/** Run steps while the run is running; `id` is the request that started or resumed it. */
async function trainLoop(id) {
  if (loopActive) return; // a resumed run whose loop has not yet seen the pause: it goes on
  loopActive = true;
  try {
    await runSteps(id);
  } finally {
    loopActive = false;
  }
}

async function runSteps(id) {
  while (run.state === State.RUNNING) {
    let step;
    try {
      step = JSON.parse(await queued(() => session.trainStep()));
    } catch (e) {
      run.fire(Action.FAIL);
      fail(e, id);
      tell(Ev.TRAIN_ENDED, { reason: State.ERROR });
      return;
    }
    tell(Ev.TRAIN_STEP, { step });
    await saveTuning(); // a step that met a new batch shape timed its products
    if (step.done) {
      run.fire(Action.FINISH);
      tell(Ev.TRAIN_ENDED, { reason: State.DONE });
      return;
    }
  }
  betweenSteps(id);
}

/** The run is between steps (or just prepared): step on, or report a pause or a stop. */
function betweenSteps(id) {
  if (run.state === State.RUNNING) {
    trainLoop(id);
  } else if (run.state === State.PAUSED) {
    tell(Ev.TRAIN_PAUSED);
  } else if (run.state === State.STOPPING) {
    run.fire(Action.HALT);
    tell(Ev.TRAIN_ENDED, { reason: State.STOPPED });
  }
}

async function generate({ id, prompt, settings, slots }) {
  generating = true;
  stopGeneration = false;
  try {
    for (const { slot, adapter } of slots) {
      const n = await queued(() => session.startGeneration(slot, prompt, JSON.stringify(settings), adapter));
      tell(Ev.GEN_STARTED, { slot, promptTokens: n });
    }
    // Interleave the slots token by token, so both panes stream side by side.
    const live = new Set(slots.map((s) => s.slot));
    while (live.size && !stopGeneration) {
      for (const slot of [...live]) {
        const piece = JSON.parse(await queued(() => session.nextToken(slot)));
        tell(Ev.TOKEN, { slot, piece });
        if (piece.done) live.delete(slot);
        if (stopGeneration) break;
      }
    }
    tell(Ev.GEN_ENDED, { reason: stopGeneration ? 'stopped' : 'done' });
  } catch (e) {
    fail(e, id);
    tell(Ev.GEN_ENDED, { reason: 'error' });
  } finally {
    generating = false;
  }
}

function modelLoaded(summary, base) {
  const s = JSON.parse(summary);
  baseModel = base;
  modelParams = s.parameters;
  tell(Ev.MODEL, { summary: s });
}

/** One handler per request kind; what it throws is posted as an error answering the request. */
const handle = byKind(Req, {
  [Req.LOSE_DEVICE]() {
    device?.destroy();
  },
  async [Req.LOAD_MODEL]({ name, files: f, weights }) {
    if (!run.ended || generating) throw busy('stop training and generation before loading another model');
    // The checkpoint stays a Blob (a File, or a cached download on disk): wasm reads it one
    // tensor at a time.
    const summary = await queued(() => session.loadModel(name, f.config, f.safetensors,
      bytes(f.tokenizer), bytes(f.vocab), bytes(f.merges), JSON.stringify(weights)));
    modelLoaded(summary, f.safetensors);
  },
  async [Req.DEMO_MODEL]({ seed, weights }) {
    if (!run.ended || generating) throw busy('stop training and generation first');
    modelLoaded(await queued(() => session.demoModel(seed ?? 0, JSON.stringify(weights))), null);
  },
  [Req.ESTIMATE]({ config, settings, weights }) {
    const e = webtune.estimateTraining(config, JSON.stringify(settings), JSON.stringify(weights));
    tell(Ev.ESTIMATE, { estimate: JSON.parse(e) });
  },
  [Req.PRESET_CONFIG]({ preset }) {
    tell(Ev.PRESET_CONFIG, { preset, config: webtune.presetConfig(preset) });
  },
  async [Req.TRAIN_START]({ id, text, settings }) {
    if (!run.ended) throw busy('a run is already going');
    if (generating) throw busy('stop the generation before training');
    run.fire(Action.START); // preparing: a Pause or Stop sent meanwhile is kept
    let plan;
    try {
      plan = await queued(() => session.prepareTraining(text, JSON.stringify(settings)));
    } catch (e) {
      run.fire(Action.FAIL);
      throw e;
    }
    tell(Ev.TRAIN_PLAN, { plan: JSON.parse(plan) });
    run.fire(Action.PREPARED); // unless paused, resumed or stopped meanwhile
    betweenSteps(id);
  },
  [Req.TRAIN_PAUSE]() {
    run.fire(Action.PAUSE);
  },
  [Req.TRAIN_RESUME]({ id }) {
    if (generating) throw busy('stop the generation before resuming training');
    if (run.fire(Action.RESUME)) trainLoop(id);
  },
  [Req.TRAIN_STOP]() {
    // A running run stops after its step (runSteps reports it); a paused one at once.
    if (run.fire(Action.STOP) && run.ended) tell(Ev.TRAIN_ENDED, { reason: State.STOPPED });
  },
  [Req.GENERATE](request) {
    if (generating) throw busy('a generation is running');
    if (run.stepping) throw busy('pause training before generating');
    generate(request);
  },
  [Req.GEN_STOP]() {
    stopGeneration = true;
  },
  async [Req.EXPORT_ADAPTER]() {
    const [config, weights] = await queued(() => session.exportAdapter());
    tell(Ev.ADAPTER_FILES, { config, weights: weights.buffer }, [weights.buffer]);
  },
  async [Req.EXPORT_MERGED]() {
    const need = (baseModel ? baseModel.size : 0) + 8 * modelParams;
    if (need > MERGE_LIMIT) {
      throw error(ErrorKind.DATA, `merging this model in the page needs about ${(need / 1e9).toFixed(1)} GB of WebAssembly memory, more than its 4 GB: download the adapter and merge with \`webtune merge\` or PEFT's merge_and_unload()`);
    }
    const base = baseModel ? new Uint8Array(await baseModel.arrayBuffer()) : new Uint8Array();
    const [config, weights] = await queued(() => session.exportMerged(base));
    tell(Ev.MERGED_FILES, { config, weights: weights.buffer }, [weights.buffer]);
  },
  async [Req.IMPORT_ADAPTER]({ config, weights }) {
    if (!run.ended || generating) throw busy('stop training and generation before loading an adapter');
    const summary = await queued(() => session.importAdapter(config, bytes(weights)));
    tell(Ev.ADAPTER_LOADED, { summary: JSON.parse(summary) });
  },
});

onmessage = async ({ data }) => {
  await ready;
  const id = typeof data?.id === 'number' ? data.id : null;
  try {
    validateRequest(data);
    if (!session) throw error(ErrorKind.NO_WEBGPU, 'the GPU could not be opened');
    await handle[data.type](data);
    tell(Ev.HANDLED, { id });
  } catch (e) {
    fail(e, id);
  }
};
