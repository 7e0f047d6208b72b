// app.js: the page's UI thread. It reads files and downloads, renders what worker.js reports,
// and sends it requests; all GPU work happens in the worker. The messages are protocol.js's (one
// handler per event kind, errors shown by their kind); the training state is training.js's
// machine, mirrored from the worker's events. Hub downloads and their cache are hub.js's.
import { RateMeter, fmtBytes, fmtInt, fmtTime } from './format.js';
import { CACHE, hubFile } from './hub.js';
import { ErrorKind, Ev, Req, SETUP_ERRORS, byKind, request, validateEvent } from './protocol.js';
import { Action, State, Training, endAction } from './training.js';

const $ = (id) => document.getElementById(id);
const state = document.body.dataset; // gpu, model, train, gen: read by people's eyes and by tests/page

const WASM_MEMORY = 4 * 2 ** 30;

// The words for an error kind; one that ends in ':' is followed by the error's own message, and
// a kind not here (or '') shows just that message.
const MESSAGES = {
  [ErrorKind.NO_WEBGPU]: 'This browser has no WebGPU, which webtune needs to use your GPU. It is on by default in Chrome and Edge 113+ (Windows, macOS, ChromeOS, Android), Safari 26+, and Firefox 141+ on Windows. On Linux, Chrome needs chrome://flags/#enable-unsafe-webgpu.',
  [ErrorKind.NO_ADAPTER]: 'WebGPU is present, but the browser gave no GPU adapter (it may be blocklisted, or hardware acceleration is off).',
  [ErrorKind.LIMITS_TOO_SMALL]: 'Your GPU adapter is too small for webtune:',
  [ErrorKind.REQUEST_DEVICE]: 'The browser refused to open the GPU device:',
  [ErrorKind.LOAD]: 'The page could not load its WebAssembly package (run `make serve`, which builds it).',
  [ErrorKind.OUT_OF_MEMORY]: 'The GPU ran out of memory. Try a smaller batch or sequence length, fewer LoRA targets, or a smaller model:',
  [ErrorKind.DEVICE_LOST]: 'The GPU device was lost (the driver reset it, or the tab was in the background too long). Restart to continue:',
  [ErrorKind.MODEL]: 'This is not a GPT-2 checkpoint webtune can load:',
  [ErrorKind.TOKENIZER]: 'The tokenizer files could not be read:',
  [ErrorKind.DATA]: '',
  [ErrorKind.BUSY]: '',
};

function explain(kind, message) {
  const known = MESSAGES[kind];
  if (known === undefined || known === '') return message;
  return known.endsWith(':') ? `${known} ${message}` : known;
}

function showError(kind, message) {
  $('banner-text').textContent = explain(kind, message);
  $('banner-restart').hidden = kind !== ErrorKind.DEVICE_LOST;
  $('banner').hidden = false;
}
$('banner-close').onclick = () => { $('banner').hidden = true; };
$('banner-restart').onclick = () => location.reload();
// Fault injection for tests/page: lose the GPU device as a driver reset would.
window.webtuneFaults = Object.freeze({ loseDevice: () => send(Req.LOSE_DEVICE) });

function setStatus(el, text, cls = 'muted') {
  el.textContent = text;
  el.className = `status ${cls}`;
}

// ---- worker ----------------------------------------------------------------------------------

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onerror = (e) => {
  setStatus($('gpu-status'), `${MESSAGES[ErrorKind.LOAD]} (${e.message})`, 'error');
  state.gpu = 'error';
};

// Requests whose failure undoes something done here at once (a state shown before the worker
// confirms it): id -> onError(kind, message). The worker answers each request with Ev.HANDLED or
// Ev.ERROR, which settle it.
const unsettled = new Map();
/** Send a request; `transfer` lists its ArrayBuffers to move, `onError` is run if it fails. */
function send(kind, fields = {}, { transfer = [], onError } = {}) {
  const msg = request(kind, fields);
  if (onError) unsettled.set(msg.id, onError);
  worker.postMessage(msg, transfer);
}

let model = null;          // the loaded model: {summary, config (JSON text)}
let pending = null;        // the one being loaded: becomes `model` when the worker confirms
let adapterReady = false;  // an adapter exists (trained or loaded)
let plan = null;
const losses = [];         // [step, loss]
const evals = [];          // [step, loss]

const onEvent = byKind(Ev, {
  [Ev.READY]: ({ version, defaults }) => { $('version').textContent = `webtune ${version}`; applyDefaults(defaults); },
  [Ev.GPU]: ({ report }) => showReport(report),
  [Ev.MODEL]: ({ summary }) => modelLoaded(summary),
  [Ev.ESTIMATE]: ({ estimate }) => showEstimate(estimate),
  [Ev.PRESET_CONFIG]: ({ config }) => send(Req.ESTIMATE, { config, settings: readSettings(), weights: readWeights() }),
  [Ev.TRAIN_PLAN]: ({ plan }) => { run.fire(Action.PREPARED); trainPlan(plan); }, // the plan's words last
  [Ev.TRAIN_STEP]: ({ step }) => trainStep(step),
  [Ev.TRAIN_PAUSED]: () => run.fire(Action.PAUSE),
  [Ev.TRAIN_ENDED]: ({ reason }) => run.fire(endAction(reason)),
  [Ev.GEN_STARTED]: () => {},
  [Ev.TOKEN]: ({ slot, piece }) => genToken(slot, piece),
  [Ev.GEN_ENDED]: ({ reason }) => genEnded(reason),
  [Ev.ADAPTER_FILES]: ({ config, weights }) => download([['adapter_config.json', config], ['adapter_model.safetensors', weights]]),
  [Ev.MERGED_FILES]: ({ config, weights }) => download([['config.json', config], ['model.safetensors', weights]]),
  [Ev.ADAPTER_LOADED]: ({ summary }) => adapterLoaded(summary),
  [Ev.HANDLED]: ({ id }) => unsettled.delete(id),
  [Ev.ERROR]: onError,
});
worker.onmessage = ({ data }) => onEvent[validateEvent(data).type](data);

/**
 * An error is shown by its kind: one that leaves the page without a GPU (and any error before
 * the GPU is open: a panic in opening it, say) in the GPU section; any other in the banner, and
 * the request it answers, if any, undoes what it showed early.
 */
function onError({ kind, message, id }) {
  const undo = unsettled.get(id);
  unsettled.delete(id);
  if (SETUP_ERRORS.includes(kind) || state.gpu !== 'ready') {
    setStatus($('gpu-status'), explain(kind, message), 'error');
    state.gpu = 'error';
    return;
  }
  showError(kind, message);
  undo?.(kind, message);
}

// ---- GPU -------------------------------------------------------------------------------------

let limits = {};
function showReport(r) {
  setStatus($('gpu-status'), r.name ? `WebGPU is available: ${r.name}` : 'WebGPU is available.', 'ok');
  const facts = $('gpu-facts');
  facts.replaceChildren();
  for (const [k, v] of [['Adapter', r.name || '(not disclosed by the browser)'], ['Backend', r.backend],
    ['Type', r.device_type], ['Features', r.features.length ? r.features.join(', ') : 'none of shader-f16, timestamp-query, subgroups']]) {
    const dt = document.createElement('dt'); dt.textContent = k;
    const dd = document.createElement('dd'); dd.textContent = v;
    facts.append(dt, dd);
  }
  facts.hidden = false;
  const body = $('gpu-limits').tBodies[0];
  body.replaceChildren();
  for (const [name, value] of r.limits) {
    limits[name] = value;
    const tr = body.insertRow();
    tr.insertCell().textContent = name;
    const td = tr.insertCell(); td.textContent = value.toLocaleString('en'); td.className = 'num';
  }
  $('gpu-limits-box').hidden = false;
  state.gpu = 'ready';
  setBusy(false);
  estimate();
}

// ---- model: Hub download with the Cache API, local files, the demo -----------------------------

let loading = false;
function setBusy(busy) {
  loading = busy;
  const off = busy || state.gpu !== 'ready' || !run.ended || generating;
  for (const id of ['download', 'demo', 'model-files']) $(id).disabled = off;
  refreshButtons();
}

async function cacheInfo() {
  if (!('caches' in self)) {
    $('cache-info').textContent = 'This page is not in a secure context, so downloads are not cached.';
    return;
  }
  const cache = await caches.open(CACHE);
  const keys = await cache.keys();
  const repos = [...new Set(keys.map((r) => new URL(r.url).pathname.split('/resolve/')[0].slice(1)))];
  const est = navigator.storage?.estimate ? await navigator.storage.estimate() : null;
  // Persistent storage is asked for before a large download (hub.js): whether it was granted.
  const kept = await navigator.storage?.persisted?.()
    ? 'kept until you clear it' : 'the browser may drop it when the disk runs low';
  $('cache-info').textContent = repos.length
    ? `Cached in this browser: ${repos.join(', ')}${est ? ` (${fmtBytes(est.usage)} used; ${kept})` : ''}. The next load starts at once.`
    : 'Downloads are kept in this browser\'s cache, so the next visit starts at once.';
}

$('download').onclick = async () => {
  const opt = $('preset').selectedOptions[0];
  const repo = opt.value;
  setBusy(true);
  $('download-progress').hidden = false;
  // Progress of one file: bytes done, total, and speed since that file began, then hub.js's note.
  const show = (file) => {
    const start = performance.now();
    return (done, total, cached, note) => {
      const secs = (performance.now() - start) / 1000;
      $('download-bar').value = total ? done / total : 0;
      const text = cached
        ? `${file}: from the cache (${fmtBytes(total)})`
        : `${file}: ${fmtBytes(done)} of ${total ? fmtBytes(total) : '?'} · ${fmtBytes(done / Math.max(secs, 1e-3))}/s`;
      $('download-text').textContent = note ? `${text} · ${note}` : text;
    };
  };
  try {
    setStatus($('model-status'), `Downloading ${repo} from the Hugging Face Hub…`, 'pending');
    const buffer = async (blob) => blob && blob.arrayBuffer();
    const config = await (await hubFile(repo, 'config.json', show('config.json'))).text();
    const tokenizer = await buffer(await hubFile(repo, 'tokenizer.json', show('tokenizer.json'), true));
    let vocab = null, merges = null;
    if (!tokenizer) {
      vocab = await buffer(await hubFile(repo, 'vocab.json', show('vocab.json'), true));
      merges = vocab && await buffer(await hubFile(repo, 'merges.txt', show('merges.txt'), true));
    }
    const safetensors = await hubFile(repo, 'model.safetensors', show('model.safetensors'));
    loadFiles(repo, { config, safetensors, tokenizer, vocab, merges });
  } catch (e) {
    setStatus($('model-status'), `Download failed: ${e.message}`, 'error');
    showError(ErrorKind.IO, `Download failed: ${e.message}. Check the connection, or open local files instead.`);
    setBusy(false);
  } finally {
    cacheInfo();
  }
};

$('clear-cache').onclick = async () => {
  if ('caches' in self) await caches.delete(CACHE);
  cacheInfo();
};

/** The "Base weights" choice, as the library's WeightDtype. */
const WEIGHTS = Object.freeze({
  f32: { matrices: 'f32', embeddings: 'f32', double_quant: false },
  f16: { matrices: 'f16', embeddings: 'f16', double_quant: false },
  nf4: { matrices: 'nf4', embeddings: 'f32', double_quant: false },
  'nf4-dq': { matrices: 'nf4', embeddings: 'f32', double_quant: true },
  fp4: { matrices: 'fp4', embeddings: 'f32', double_quant: false },
});
function readWeights() {
  return WEIGHTS[$('weights').value] ?? WEIGHTS.f32;
}

/** files: config (text), safetensors (a Blob or File), tokenizer / vocab / merges (ArrayBuffers). */
function loadFiles(name, files) {
  const weights = readWeights();
  pending = { config: files.config, summary: null, weights };
  delete state.modelError;
  setStatus($('model-status'), `Loading ${name} onto the GPU…`, 'pending');
  state.model = 'loading';
  const transfer = [files.tokenizer, files.vocab, files.merges].filter(Boolean);
  send(Req.LOAD_MODEL, { name, files, weights }, { transfer, onError: modelFailed });
}

async function openModelFiles(list) {
  const byName = {};
  for (const f of list) byName[f.name] = f;
  if (byName['adapter_config.json'] || byName['adapter_model.safetensors']) {
    return importAdapter(list);
  }
  const st = list.find((f) => f.name.endsWith('.safetensors'));
  if (!byName['config.json'] || !st) {
    showError(ErrorKind.MODEL, 'Open at least config.json and a model.safetensors (plus tokenizer.json, or vocab.json and merges.txt).');
    return;
  }
  setBusy(true);
  const buf = async (name) => (byName[name] ? byName[name].arrayBuffer() : null);
  loadFiles(st.name === 'model.safetensors' ? 'local model' : st.name, {
    config: await byName['config.json'].text(),
    safetensors: st,
    tokenizer: await buf('tokenizer.json'),
    vocab: await buf('vocab.json'),
    merges: await buf('merges.txt'),
  });
}

$('model-files').onchange = (e) => openModelFiles([...e.target.files]);
const drop = $('drop');
drop.ondragover = (e) => { e.preventDefault(); drop.classList.add('over'); };
drop.ondragleave = () => drop.classList.remove('over');
drop.ondrop = (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (state.gpu === 'ready' && run.ended && !generating && !loading) openModelFiles([...e.dataTransfer.files]);
};

$('demo').onclick = () => {
  setBusy(true);
  const weights = readWeights();
  pending = { config: null, summary: null, weights };
  delete state.modelError;
  setStatus($('model-status'), 'Building a tiny random GPT-2 in the page…', 'pending');
  state.model = 'loading';
  send(Req.DEMO_MODEL, { seed: 0, weights }, { onError: modelFailed });
};

function modelLoaded(s) {
  model = pending ?? { config: null };
  pending = null;
  model.summary = s;
  model.config ??= JSON.stringify({ model_type: 'gpt2', n_layer: s.n_layer, n_embd: s.n_embd, n_head: s.n_head,
    n_positions: s.n_positions, vocab_size: s.vocab_size });
  adapterReady = false;
  const w = model.weights ?? WEIGHTS.f32;
  const storage = w.matrices + (w.double_quant ? ' + double quantization' : '') + (w.matrices === 'nf4' || w.matrices === 'fp4' ? ' (4-bit base)' : '');
  setStatus($('model-status'), `Loaded ${s.name}: ${fmtInt(s.parameters)} parameters, ${s.n_layer} layers, width ${s.n_embd}, context ${s.n_positions}; weights ${storage}.`, 'ok');
  state.model = 'loaded';
  $('out-base').textContent = '';
  $('out-tuned').textContent = '';
  setBusy(false);
  estimate();
}

function modelFailed(kind, message) {
  setStatus($('model-status'), explain(kind, message), 'error');
  pending = null;
  // The worker still has the model it had, if any.
  state.model = model?.summary ? 'loaded' : 'error';
  state.modelError = message;
  setBusy(false);
}

// ---- training --------------------------------------------------------------------------------

let textIsJsonl = false;
// Opened files' text exactly as read: a textarea turns CRLF into LF, which would tokenize
// differently from the same file given to `webtune train`. Editing the text drops it.
let openedText = null;
$('train-text').oninput = () => { textIsJsonl = false; openedText = null; $('text-info').textContent = ''; };
$('text-files').onchange = async (e) => {
  const files = [...e.target.files];
  const texts = await Promise.all(files.map((f) => f.text()));
  textIsJsonl = files.length > 0 && files.every((f) => f.name.endsWith('.jsonl'));
  openedText = texts.join(textIsJsonl ? '\n' : '\n\n');
  $('train-text').value = openedText;
  $('text-info').textContent = `${files.map((f) => f.name).join(', ')} (${fmtBytes(texts.reduce((n, t) => n + t.length, 0))})${textIsJsonl ? ', JSON Lines' : ''}`;
};

function num(form, name) {
  const v = form.elements[name].value.trim();
  return v === '' ? null : Number(v);
}

/** Fill both forms with the library's defaults and limits (index.html repeats none of them). */
function applyDefaults({ training: { lora, train, data }, generate, limits }) {
  const set = (form, name, value) => {
    const el = form.elements[name];
    if (el.type === 'checkbox') el.checked = value;
    else el.value = value ?? '';
  };
  const f = $('settings');
  for (const [name, value] of Object.entries({
    r: lora.r, alpha: lora.alpha, lora_dropout: lora.dropout, targets: lora.targets.join(','), init: lora.init,
    layers: lora.layers?.join(','), rslora: lora.rslora,
    lr: train.lr, schedule: train.schedule, warmup_ratio: train.warmup_ratio, epochs: train.epochs,
    steps: train.steps ?? 0, batch: train.batch, seq_len: train.seq_len, grad_accum: train.grad_accum,
    optimizer: train.optimizer, weight_decay: train.weight_decay, clip: train.clip,
    model_dropout: train.model_dropout, packing: train.packing, eval_every: train.eval_every, seed: train.seed,
    shuffle: train.shuffle, recompute: train.recompute, eval_percent: Math.round(100 * data.eval_fraction),
  })) set(f, name, value);
  f.elements.r.max = limits.max_rank;
  f.elements.batch.max = limits.max_batch;
  f.elements.grad_accum.max = limits.max_batch;
  f.elements.eval_percent.max = Math.ceil(100 * limits.max_eval_fraction) - 1;
  const g = $('gen-settings');
  for (const name of ['max_new_tokens', 'temperature', 'top_k', 'top_p', 'repetition_penalty', 'seed']) {
    set(g, name, generate[name]);
  }
  g.elements.max_new_tokens.max = limits.max_new_tokens;
  estimate();
}

function readSettings() {
  const f = $('settings');
  const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const layers = f.elements.layers.value.trim();
  const steps = num(f, 'steps');
  const md = f.elements.model_dropout.value.trim();
  return {
    lora: {
      r: num(f, 'r'), alpha: num(f, 'alpha'), dropout: num(f, 'lora_dropout'), targets: list(f.elements.targets.value),
      rslora: f.elements.rslora.checked, init: f.elements.init.value,
      layers: layers ? list(layers).map(Number) : null,
    },
    train: {
      lr: num(f, 'lr'), schedule: f.elements.schedule.value, warmup_ratio: num(f, 'warmup_ratio'),
      epochs: num(f, 'epochs'), steps: steps ? steps : null, batch: num(f, 'batch'), seq_len: num(f, 'seq_len'),
      grad_accum: num(f, 'grad_accum'), clip: num(f, 'clip'), weight_decay: num(f, 'weight_decay'),
      optimizer: f.elements.optimizer.value, seed: num(f, 'seed'), shuffle: f.elements.shuffle.checked,
      packing: f.elements.packing.value, eval_every: num(f, 'eval_every'), recompute: f.elements.recompute.checked,
      model_dropout: md === '' || md === 'config' ? null : Number(md),
    },
    data: { jsonl: textIsJsonl, eval_fraction: (num(f, 'eval_percent') ?? 0) / 100 },
  };
}

function estimate() {
  if (!model?.config || state.gpu !== 'ready') {
    const preset = $('preset').selectedOptions[0].dataset.preset;
    if (state.gpu === 'ready') send(Req.PRESET_CONFIG, { preset });
    return;
  }
  send(Req.ESTIMATE, { config: model.config, settings: readSettings(), weights: model.weights ?? readWeights() });
}
$('settings').oninput = () => estimate();
$('preset').onchange = () => { if (!model) estimate(); };
$('weights').onchange = () => { if (!model) estimate(); };

function showEstimate({ memory: m, trainable, parameters }) {
  // A buffer must fit the adapter's max_buffer_size and, bound whole, its storage binding limit.
  const maxBuffer = Math.min(limits.max_buffer_size ?? limits.maxBufferSize ?? Infinity,
    limits.max_storage_buffer_binding_size ?? limits.maxStorageBufferBindingSize ?? Infinity);
  const parts = [`weights ${fmtBytes(m.weights)}`, `activations ${fmtBytes(m.activations)}`,
    `gradients ${fmtBytes(m.gradients)}`, `LoRA + optimizer ${fmtBytes(m.adapter)}`];
  let text = `What fits: training needs about ${fmtBytes(m.total)} of GPU memory (${parts.join(', ')}); ` +
    `trainable parameters ${fmtInt(trainable)} of ${fmtInt(parameters + trainable)} (${(100 * trainable / (parameters + trainable)).toFixed(4)}%).`;
  let cls = 'muted';
  if (Number.isFinite(maxBuffer) && m.largest_buffer > maxBuffer) {
    text += ` Its largest buffer (${fmtBytes(m.largest_buffer)}) is over this adapter's limit of ${fmtBytes(maxBuffer)}: lower the batch or sequence length (Start will refuse it).`;
    cls = 'error';
  } else if (Number.isFinite(maxBuffer)) {
    text += ` Largest buffer ${fmtBytes(m.largest_buffer)} of the ${fmtBytes(maxBuffer)} allowed; browsers do not disclose total GPU memory.`;
  }
  if (m.host_peak > WASM_MEMORY) {
    text += ` Loading needs about ${fmtBytes(m.host_peak)} of WebAssembly memory at once, more than the 4 GB a page can address.`;
    cls = 'error';
  }
  $('fit').textContent = text;
  $('fit').className = cls;
}

function refreshButtons() {
  const loaded = state.model === 'loaded';
  $('start').disabled = !loaded || generating || !run.can(Action.START) && !run.can(Action.RESUME);
  $('start').textContent = run.can(Action.RESUME) ? 'Resume' : 'Start';
  $('pause').disabled = !run.can(Action.PAUSE);
  $('stop').disabled = !run.can(Action.STOP);
  $('gen-start').disabled = !loaded || generating || run.stepping;
  $('gen-stop').disabled = !generating;
  $('export-adapter').disabled = !adapterReady || run.stepping;
  $('export-merged').disabled = !adapterReady || run.stepping;
  $('adapter-files').disabled = !loaded || !run.ended || generating;
  for (const el of $('settings').elements) el.disabled = !run.ended;
}

const TRAIN_WORDS = {
  [State.IDLE]: '', [State.PREPARING]: 'Tokenizing and allocating…', [State.RUNNING]: 'Training…',
  [State.PAUSED]: 'Paused.', [State.STOPPING]: 'Stopping after this step…', [State.DONE]: 'Done.',
  [State.STOPPED]: 'Stopped.', [State.ERROR]: 'Stopped by an error.',
};
// The run as this page knows it: Start and Resume show at once, the rest as the worker reports.
const run = new Training((s) => {
  state.train = s;
  $('train-status').textContent = TRAIN_WORDS[s];
  setBusy(false);
});

$('start').onclick = () => {
  if (run.fire(Action.RESUME)) {
    send(Req.TRAIN_RESUME, {}, { onError: () => run.fire(Action.PAUSE) });
    return;
  }
  const text = openedText ?? $('train-text').value;
  if (!text.trim()) {
    showError(ErrorKind.DATA, 'Paste some training text, or open a .txt or .jsonl file.');
    return;
  }
  losses.length = 0;
  evals.length = 0;
  drawChart();
  run.fire(Action.START);
  send(Req.TRAIN_START, { text, settings: readSettings() }, { onError: () => run.fire(Action.FAIL) });
};
$('pause').onclick = () => send(Req.TRAIN_PAUSE);
// The run stops (or stays paused) until the worker reports its end: only the words change here.
$('stop').onclick = () => { send(Req.TRAIN_STOP); $('train-status').textContent = TRAIN_WORDS[State.STOPPING]; };

let rate = new RateMeter(); // tokens/s and the ETA over the run's last 10 steps
function trainPlan(p) {
  plan = p;
  adapterReady = true;
  $('stat-trainable').textContent = `${fmtInt(p.trainable)} of ${fmtInt(p.all)} (${(100 * p.trainable / p.all).toFixed(4)}%)`;
  $('stat-step').textContent = `0 / ${p.total_steps}`;
  $('train-status').textContent = `Training: ${p.train_blocks} blocks${p.eval_blocks ? ` (+${p.eval_blocks} held out)` : ''}, ${p.total_steps} steps, warmup ${p.warmup_steps}.`;
  rate = new RateMeter();
}

function trainStep(s) {
  losses.push([s.step, s.loss]);
  if (s.eval_loss !== null && s.eval_loss !== undefined) evals.push([s.step, s.eval_loss]);
  $('stat-step').textContent = `${s.step} / ${s.total}`;
  $('stat-loss').textContent = s.loss.toFixed(4);
  if (evals.length) $('stat-eval').textContent = evals[evals.length - 1][1].toFixed(4);
  const { tokensPerSecond, secondsLeft } = rate.step(s);
  $('stat-tps').textContent = tokensPerSecond === null ? '–' : fmtInt(Math.round(tokensPerSecond));
  $('stat-eta').textContent = fmtTime(secondsLeft ?? NaN);
  $('chart').dataset.losses = JSON.stringify(losses.map(([, l]) => l));
  $('chart').dataset.evals = JSON.stringify(evals.map(([, l]) => l));
  drawChart();
}

function drawChart() {
  const canvas = $('chart');
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 760, h = canvas.clientHeight || 220;
  canvas.width = w * dpr; canvas.height = h * dpr;
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  const css = getComputedStyle(document.body);
  g.clearRect(0, 0, w, h);
  g.font = '12px system-ui, sans-serif';
  g.fillStyle = css.getPropertyValue('--muted');
  const all = [...losses, ...evals];
  if (!all.length) {
    g.fillText('The loss appears here as training runs.', 12, h / 2);
    return;
  }
  const pad = { l: 48, r: 12, t: 12, b: 24 };
  const maxStep = Math.max(plan?.total_steps ?? 1, ...all.map(([s]) => s));
  let lo = Math.min(...all.map(([, l]) => l)), hi = Math.max(...all.map(([, l]) => l));
  if (hi - lo < 1e-6) { lo -= 0.5; hi += 0.5; }
  const x = (s) => pad.l + (w - pad.l - pad.r) * s / maxStep;
  const y = (l) => pad.t + (h - pad.t - pad.b) * (hi - l) / (hi - lo);
  g.strokeStyle = css.getPropertyValue('--line');
  g.beginPath(); g.moveTo(pad.l, pad.t); g.lineTo(pad.l, h - pad.b); g.lineTo(w - pad.r, h - pad.b); g.stroke();
  g.fillText(hi.toFixed(2), 4, y(hi) + 4);
  g.fillText(lo.toFixed(2), 4, y(lo));
  g.fillText(`step ${maxStep}`, w - pad.r - 60, h - 6);
  g.fillText('0', pad.l, h - 6);
  const line = (pts, color, dots) => {
    g.strokeStyle = color; g.fillStyle = color; g.lineWidth = 1.5;
    g.beginPath();
    pts.forEach(([s, l], i) => (i ? g.lineTo(x(s), y(l)) : g.moveTo(x(s), y(l))));
    g.stroke();
    if (dots) for (const [s, l] of pts) { g.beginPath(); g.arc(x(s), y(l), 3, 0, 2 * Math.PI); g.fill(); }
  };
  line(losses, css.getPropertyValue('--accent'), losses.length < 2);
  line(evals, css.getPropertyValue('--ok'), true);
  g.fillStyle = css.getPropertyValue('--accent'); g.fillText('training', w - pad.r - 130, pad.t + 10);
  g.fillStyle = css.getPropertyValue('--ok'); g.fillText('held-out', w - pad.r - 60, pad.t + 10);
}

// ---- generation ------------------------------------------------------------------------------

let generating = false;
$('gen-start').onclick = () => {
  const f = $('gen-settings');
  const settings = {
    max_new_tokens: num(f, 'max_new_tokens'), temperature: num(f, 'temperature'), top_k: num(f, 'top_k'),
    top_p: num(f, 'top_p'), repetition_penalty: num(f, 'repetition_penalty'), seed: num(f, 'seed'),
  };
  const compare = f.elements.compare.checked;
  const slots = adapterReady
    ? (compare ? [{ slot: 0, adapter: false }, { slot: 1, adapter: true }] : [{ slot: 1, adapter: true }])
    : [{ slot: 0, adapter: false }];
  const prompt = $('prompt').value;
  for (const { slot } of slots) $(slot ? 'out-tuned' : 'out-base').textContent = prompt;
  if (!slots.some((s) => s.slot === 0)) $('out-base').textContent = '';
  if (!slots.some((s) => s.slot === 1)) $('out-tuned').textContent = adapterReady ? '' : '(train or load an adapter first)';
  generating = true;
  state.gen = 'running';
  $('gen-status').textContent = 'Generating…';
  setBusy(loading);
  send(Req.GENERATE, { prompt, settings, slots }, { onError: () => genEnded('error') });
};
$('gen-stop').onclick = () => send(Req.GEN_STOP);

function genToken(slot, piece) {
  const out = $(slot ? 'out-tuned' : 'out-base');
  out.append(piece.text);
  if (piece.done && piece.stop) out.dataset.stop = piece.stop;
}

function genEnded(reason) {
  if (!generating) return;
  generating = false;
  state.gen = reason;
  $('gen-status').textContent = reason === 'done' ? 'Done.' : reason === 'stopped' ? 'Stopped.' : 'Stopped by an error.';
  setBusy(loading);
}

// ---- export / import -------------------------------------------------------------------------

function download(files) {
  for (const [name, content] of files) {
    const blob = new Blob([content], { type: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  }
  $('export-status').textContent = `Downloaded ${files.map(([n]) => n).join(' and ')}.`;
}

const exportFailed = (kind, message) => { $('export-status').textContent = explain(kind, message); };
$('export-adapter').onclick = () => send(Req.EXPORT_ADAPTER, {}, { onError: exportFailed });
$('export-merged').onclick = () => {
  $('export-status').textContent = 'Merging W + s·(B·A)ᵀ into a copy of the base weights…';
  send(Req.EXPORT_MERGED, {}, { onError: exportFailed });
};

async function importAdapter(list) {
  const config = list.find((f) => f.name.endsWith('.json'));
  const weights = list.find((f) => f.name.endsWith('.safetensors'));
  if (!config || !weights) {
    showError(ErrorKind.DATA, 'Open both of the adapter\'s files: adapter_config.json and adapter_model.safetensors.');
    return;
  }
  const buf = await weights.arrayBuffer();
  send(Req.IMPORT_ADAPTER, { config: await config.text(), weights: buf }, { transfer: [buf] });
}
$('adapter-files').onchange = (e) => importAdapter([...e.target.files]);

function adapterLoaded(s) {
  adapterReady = true;
  $('export-status').textContent = `Loaded an adapter: r ${s.r}, alpha ${s.alpha}, on ${s.targets.join(', ')} (${fmtInt(s.trainable)} parameters). Generation uses it now.`;
  refreshButtons();
}

setBusy(true);
cacheInfo();
drawChart();
