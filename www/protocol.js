// protocol.js: the messages between app.js (the UI thread) and worker.js (wasm + WebGPU), in one
// place: request kinds (UI -> worker), event kinds (worker -> UI), their fields, the error kinds,
// constructors that check what they build, and a validator both sides run on what they receive.
// A plain ES module with no imports and no browser APIs (node can import it). The training run's
// state machine is in training.js.
//
// Every message is a plain object {type, ...fields}. Requests also carry `id`, a number unique in
// the page; the worker answers each request with Ev.HANDLED {id} or Ev.ERROR {kind, message, id},
// besides the events the request causes. Field lists below: `name?` is optional (absent or
// undefined); any other field must be present (null counts as present); nothing else is allowed.

/**
 * @typedef {{config: string, safetensors: Blob, tokenizer?: ArrayBuffer|null, vocab?: ArrayBuffer|null,
 *   merges?: ArrayBuffer|null}} ModelFiles  config.json's text, the checkpoint (read tensor by tensor),
 *   and tokenizer.json or vocab.json + merges.txt, or none (GPT-2's own)
 * @typedef {{lora: object, train: object, data: object}} TrainingSettings  as src/session.rs's TrainingSettings
 * @typedef {{slot: 0|1, adapter: boolean}} Slot  output pane 0 (base) or 1 (fine-tuned)
 * @typedef {{matrices: 'f32'|'f16'|'nf4'|'fp4', embeddings: 'f32'|'f16', double_quant: boolean}} WeightDtype
 *   how the frozen weights are stored on the GPU, as src/model/weights.rs's WeightDtype
 */

/** Requests, UI -> worker: {type, id, ...fields}. */
export const Req = Object.freeze({
  /** {name: string, files: ModelFiles, weights: WeightDtype}: load a checkpoint. Then Ev.MODEL. */
  LOAD_MODEL: 'load-model',
  /** {seed: number, weights: WeightDtype}: build the tiny random demo GPT-2. Then Ev.MODEL. */
  DEMO_MODEL: 'demo-model',
  /** {config: string, settings: TrainingSettings, weights: WeightDtype}: GPU memory for training. Then Ev.ESTIMATE. */
  ESTIMATE: 'estimate',
  /** {preset: string}: a published GPT-2's config.json (gpt2, distilgpt2, ...). Then Ev.PRESET_CONFIG. */
  PRESET_CONFIG: 'preset-config',
  /** {text: string, settings: TrainingSettings}: prepare and start a run. Then Ev.TRAIN_PLAN, Ev.TRAIN_STEP... */
  TRAIN_START: 'train-start',
  /** {}: pause after the current step. Then Ev.TRAIN_PAUSED. */
  TRAIN_PAUSE: 'train-pause',
  /** {}: resume a paused run. Then Ev.TRAIN_STEP... */
  TRAIN_RESUME: 'train-resume',
  /** {}: stop after the current step (at once when paused). Then Ev.TRAIN_ENDED. */
  TRAIN_STOP: 'train-stop',
  /** {prompt: string, settings: object, slots: Slot[]}: generate. Then Ev.GEN_STARTED, Ev.TOKEN..., Ev.GEN_ENDED. */
  GENERATE: 'generate',
  /** {}: stop generating after the current token. */
  GEN_STOP: 'gen-stop',
  /** {}: the adapter as PEFT's files. Then Ev.ADAPTER_FILES. */
  EXPORT_ADAPTER: 'export-adapter',
  /** {}: the base model with the adapter merged in. Then Ev.MERGED_FILES. */
  EXPORT_MERGED: 'export-merged',
  /** {config: string, weights: ArrayBuffer}: load a PEFT adapter. Then Ev.ADAPTER_LOADED. */
  IMPORT_ADAPTER: 'import-adapter',
  /** {}: fault injection for tests: destroy the GPU device, as a driver reset loses it. Then the
   * next GPU work fails with ErrorKind.DEVICE_LOST. */
  LOSE_DEVICE: 'lose-device',
});

/** Events, worker -> UI: {type, ...fields}. */
export const Ev = Object.freeze({
  /** {version: string, defaults: object}: the wasm package loaded; the GPU is being opened.
   *  defaults: every setting's default and limit ({training: {lora, train, data}, generate,
   *  limits}), from the library types that check them (src/session.rs defaults()). */
  READY: 'ready',
  /** {report: object}: the GPU is open: adapter name, backend, device type, features, limits. */
  GPU: 'gpu',
  /** {summary: object}: a model is loaded (name, parameters, n_layer, n_embd, ...). */
  MODEL: 'model',
  /** {estimate: {memory, trainable, parameters}}. */
  ESTIMATE: 'estimate',
  /** {preset: string, config: string}: the preset's config.json text. */
  PRESET_CONFIG: 'preset-config',
  /** {plan: object}: the run is prepared (blocks, steps, trainable parameters). */
  TRAIN_PLAN: 'train-plan',
  /** {step: object}: one optimizer step (step, total, loss, eval_loss, tokens, elapsed, done). */
  TRAIN_STEP: 'train-step',
  /** {}: the run is paused between steps. */
  TRAIN_PAUSED: 'train-paused',
  /** {reason: 'done'|'stopped'|'error'}: the run is over; reason is training.js's end state. */
  TRAIN_ENDED: 'train-ended',
  /** {slot: number, promptTokens: number}: a pane's generation began. */
  GEN_STARTED: 'gen-started',
  /** {slot: number, piece: {text, done, stop?}}: a generated token's text. */
  TOKEN: 'token',
  /** {reason: 'done'|'stopped'|'error'}: generation is over. */
  GEN_ENDED: 'gen-ended',
  /** {config: string, weights: ArrayBuffer}: adapter_config.json and adapter_model.safetensors. */
  ADAPTER_FILES: 'adapter-files',
  /** {config: string, weights: ArrayBuffer}: the merged config.json and model.safetensors. */
  MERGED_FILES: 'merged-files',
  /** {summary: {r, alpha, targets, trainable}}: an imported adapter is in use. */
  ADAPTER_LOADED: 'adapter-loaded',
  /**
   * {id: number}: the worker handled request `id` without an error, after the events that
   * answer it; a training or generation loop it started goes on with its own events.
   */
  HANDLED: 'handled',
  /**
   * {kind: string, message: string, id: number|null, rawKind?: string}: something failed. kind is
   * one of ErrorKind; id is the request it answers, or whose training or generation loop failed,
   * null when no request caused it (opening the GPU); rawKind is a wasm error's own kind where
   * ErrorKind does not list it (kind is then internal).
   */
  ERROR: 'error',
});

const REQUEST_FIELDS = byKind(Req, {
  [Req.LOAD_MODEL]: ['name', 'files', 'weights'],
  [Req.DEMO_MODEL]: ['seed', 'weights'],
  [Req.ESTIMATE]: ['config', 'settings', 'weights'],
  [Req.PRESET_CONFIG]: ['preset'],
  [Req.TRAIN_START]: ['text', 'settings'],
  [Req.TRAIN_PAUSE]: [],
  [Req.TRAIN_RESUME]: [],
  [Req.TRAIN_STOP]: [],
  [Req.GENERATE]: ['prompt', 'settings', 'slots'],
  [Req.GEN_STOP]: [],
  [Req.EXPORT_ADAPTER]: [],
  [Req.EXPORT_MERGED]: [],
  [Req.IMPORT_ADAPTER]: ['config', 'weights'],
  [Req.LOSE_DEVICE]: [],
});
const EVENT_FIELDS = byKind(Ev, {
  [Ev.READY]: ['version', 'defaults'],
  [Ev.GPU]: ['report'],
  [Ev.MODEL]: ['summary'],
  [Ev.ESTIMATE]: ['estimate'],
  [Ev.PRESET_CONFIG]: ['preset', 'config'],
  [Ev.TRAIN_PLAN]: ['plan'],
  [Ev.TRAIN_STEP]: ['step'],
  [Ev.TRAIN_PAUSED]: [],
  [Ev.TRAIN_ENDED]: ['reason'],
  [Ev.GEN_STARTED]: ['slot', 'promptTokens'],
  [Ev.TOKEN]: ['slot', 'piece'],
  [Ev.GEN_ENDED]: ['reason'],
  [Ev.ADAPTER_FILES]: ['config', 'weights'],
  [Ev.MERGED_FILES]: ['config', 'weights'],
  [Ev.ADAPTER_LOADED]: ['summary'],
  [Ev.HANDLED]: ['id'],
  [Ev.ERROR]: ['kind', 'message', 'id', 'rawKind?'],
});

/**
 * What can fail, as Ev.ERROR's kind. The wasm package's errors carry theirs (src/error.rs and
 * src/gpu/error.rs, `kind()`); the worker and the page add load, busy and bad-request.
 */
export const ErrorKind = Object.freeze({
  // The page cannot use the GPU at all (see SETUP_ERRORS).
  NO_WEBGPU: 'no-webgpu',               // the browser has no navigator.gpu
  NO_ADAPTER: 'no-adapter',             // it gave no adapter
  LIMITS_TOO_SMALL: 'limits-too-small', // the adapter is below webtune's required limits
  REQUEST_DEVICE: 'request-device',     // the browser refused the device
  LOAD: 'load',                         // the wasm package (www/pkg) did not load
  // The GPU while working.
  OUT_OF_MEMORY: 'out-of-memory',
  DEVICE_LOST: 'device-lost',           // only a reload recovers
  VALIDATION: 'validation',
  INTERNAL: 'internal',                 // also: a JavaScript exception, a wasm panic, an unlisted kind
  TOO_LARGE: 'too-large',
  SHAPE: 'shape',
  UNSUPPORTED: 'unsupported',
  READBACK: 'readback',
  // What the user gave.
  MODEL: 'model',                       // not a GPT-2 checkpoint webtune can load
  TOKENIZER: 'tokenizer',
  DATA: 'data',                         // training text, settings, adapter files, a size limit
  IO: 'io',                             // a read or a download failed
  // The worker.
  BUSY: 'busy',                         // refused: training or generation is in the way
  BAD_REQUEST: 'bad-request',           // a message that breaks this protocol
});

/** The kinds that leave the page without a GPU: shown in its GPU section, not as a banner. */
export const SETUP_ERRORS = Object.freeze([ErrorKind.NO_WEBGPU, ErrorKind.NO_ADAPTER,
  ErrorKind.LIMITS_TOO_SMALL, ErrorKind.REQUEST_DEVICE, ErrorKind.LOAD]);

const ERROR_KINDS = new Set(Object.values(ErrorKind));

/** An Error with a `kind`, as the wasm package throws: what the validator throws. */
function fault(kind, message) {
  return Object.assign(new Error(message), { kind });
}

function validate(table, msg, what) {
  const spec = msg && typeof msg === 'object' ? table[msg.type] : undefined;
  if (!spec) throw fault(ErrorKind.BAD_REQUEST, `unknown ${what} ${JSON.stringify(msg?.type ?? msg)}`);
  const allowed = new Set(['type', ...(table === REQUEST_FIELDS ? ['id'] : [])]);
  for (const f of spec) {
    const name = f.replace(/\?$/, '');
    allowed.add(name);
    if (!f.endsWith('?') && msg[name] === undefined) throw fault(ErrorKind.BAD_REQUEST, `${what} ${msg.type} has no ${name}`);
  }
  for (const name of Object.keys(msg)) {
    if (!allowed.has(name)) throw fault(ErrorKind.BAD_REQUEST, `${what} ${msg.type} has an unknown field ${name}`);
  }
  if (table === REQUEST_FIELDS && typeof msg.id !== 'number') throw fault(ErrorKind.BAD_REQUEST, `request ${msg.type} has no id`);
  if (msg.type === Ev.ERROR && !ERROR_KINDS.has(msg.kind)) throw fault(ErrorKind.BAD_REQUEST, `unknown error kind ${msg.kind}`);
  return msg;
}

/** Check a request (throws an Error of kind bad-request on an unknown type or a missing field). */
export const validateRequest = (msg) => validate(REQUEST_FIELDS, msg, 'request');
/** Check an event, the same way. */
export const validateEvent = (msg) => validate(EVENT_FIELDS, msg, 'event');

let lastId = 0;
/** A checked request with a fresh id. */
export function request(kind, fields = {}) {
  reserve(fields, 'type', 'id');
  return validateRequest({ type: kind, id: ++lastId, ...fields });
}

/** A checked event. */
export function event(kind, fields = {}) {
  reserve(fields, 'type');
  return validateEvent({ type: kind, ...fields });
}

function reserve(fields, ...names) {
  for (const name of names) if (name in fields) throw fault(ErrorKind.BAD_REQUEST, `${name} is not a field`);
}

/** A checked Ev.ERROR; `extra` holds id (default null) and rawKind. It can also be thrown. */
export function error(kind, message, extra = {}) {
  return event(Ev.ERROR, { id: null, ...extra, kind, message: String(message) });
}

/**
 * Anything caught (a wasm Error with a kind, a thrown error(), a JavaScript exception) as an
 * Ev.ERROR answering request `id`.
 */
export function errorFrom(e, id = null) {
  const raw = e?.kind;
  const known = ERROR_KINDS.has(raw);
  return error(known ? raw : ErrorKind.INTERNAL, e?.message ?? e,
    known || raw === undefined ? { id } : { id, rawKind: String(raw) });
}

/**
 * A table with one entry per kind of `kinds` (Req or Ev), no more, no fewer: the field lists
 * above, and each side's dispatch table. Checked when built, so a kind added without its entry,
 * or an entry for a misspelled kind, fails at once.
 */
export function byKind(kinds, table) {
  const want = Object.values(kinds).sort().join(), got = Object.keys(table).sort().join();
  if (want !== got) throw new Error(`a table for [${got}], but the kinds are [${want}]`);
  return Object.freeze({ ...table });
}
