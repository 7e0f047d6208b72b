// app.js: the page's UI thread. It reads files and downloads, renders what worker.js reports,
// and sends it commands; all GPU work happens in the worker.

const $ = (id) => document.getElementById(id);
const state = document.body.dataset; // gpu, model, train, gen: read by people's eyes and by tests/page

// The Hugging Face Hub; `?hub=/path` points downloads at this page's own server instead (the
// page test serves fixtures there: the CSP allows only the Hub and the page's origin anyway).
const HUB = new URLSearchParams(location.search).get('hub')?.match(/^\/[\w/-]*$/)?.[0] ?? 'https://huggingface.co';
const CACHE = 'webtune-hub-v1';
const WASM_MEMORY = 4 * 2 ** 30;

const MESSAGES = {
  'no-webgpu': 'This browser has no WebGPU, which webtune needs to use your GPU. It is on by default in Chrome and Edge 113+ (Windows, macOS, ChromeOS, Android), Safari 26+, and Firefox 141+ on Windows. On Linux, Chrome needs chrome://flags/#enable-unsafe-webgpu.',
  'no-adapter': 'WebGPU is present, but the browser gave no GPU adapter (it may be blocklisted, or hardware acceleration is off).',
  'limits-too-small': 'Your GPU adapter is too small for webtune:',
  'request-device': 'The browser refused to open the GPU device:',
  'load': 'The page could not load its WebAssembly package (run `make serve`, which builds it).',
  'out-of-memory': 'The GPU ran out of memory. Try a smaller batch or sequence length, fewer LoRA targets, or a smaller model:',
  'device-lost': 'The GPU device was lost (the driver reset it, or the tab was in the background too long). Restart to continue:',
  'model': 'This is not a GPT-2 checkpoint webtune can load:',
  'tokenizer': 'The tokenizer files could not be read:',
  'data': '',
  'busy': '',
};

function explain(kind, message) {
  const known = MESSAGES[kind];
  if (known === undefined || known === '') return message;
  return known.endsWith(':') ? `${known} ${message}` : known;
}

function showError(kind, message) {
  $('banner-text').textContent = explain(kind, message);
  $('banner-restart').hidden = kind !== 'device-lost';
  $('banner').hidden = false;
}
$('banner-close').onclick = () => { $('banner').hidden = true; };
$('banner-restart').onclick = () => location.reload();

function setStatus(el, text, cls = 'muted') {
  el.textContent = text;
  el.className = `status ${cls}`;
}

const fmtBytes = (n) => {
  if (!Number.isFinite(n)) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
};
const fmtInt = (n) => n.toLocaleString('en');
const fmtTime = (s) => {
  if (!Number.isFinite(s)) return '–';
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}h ${m}m` : m ? `${m}m ${sec}s` : `${sec}s`;
};

// ---- worker ----------------------------------------------------------------------------------

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onerror = (e) => {
  setStatus($('gpu-status'), `${MESSAGES.load} (${e.message})`, 'error');
  state.gpu = 'error';
};
const send = (msg, transfer = []) => worker.postMessage(msg, transfer);

let model = null;          // the loaded model: {summary, config (JSON text)}
let pending = null;        // the one being loaded: becomes `model` when the worker confirms
let adapterReady = false;  // an adapter exists (trained or loaded)
let training = 'idle';
let plan = null;
const losses = [];         // [step, loss]
const evals = [];          // [step, loss]

worker.onmessage = ({ data }) => {
  switch (data.status) {
    case 'ready': $('version').textContent = `webtune ${data.version}`; break;
    case 'info': showReport(data.report); break;
    case 'model': modelLoaded(data.summary); break;
    case 'estimate': showEstimate(data.estimate); break;
    case 'train-plan': trainPlan(data.plan); break;
    case 'step': trainStep(data.step); break;
    case 'train-paused': setTraining('paused'); break;
    case 'train-ended': setTraining(data.reason === 'done' ? 'done' : data.reason === 'error' ? 'error' : 'stopped'); break;
    case 'gen-started': break;
    case 'token': genToken(data.slot, data.piece); break;
    case 'gen-ended': genEnded(data.reason); break;
    case 'adapter-files': download([['adapter_config.json', data.config], ['adapter_model.safetensors', data.weights]]); break;
    case 'merged-files': download([['config.json', data.config], ['model.safetensors', data.weights]]); break;
    case 'adapter-loaded': adapterLoaded(data.summary); break;
    case 'error': onError(data); break;
  }
};

function onError({ kind, message, context }) {
  if (context === 'gpu') {
    setStatus($('gpu-status'), explain(kind, message), 'error');
    state.gpu = 'error';
    return;
  }
  showError(kind, message);
  if (context === 'load-model' || context === 'demo-model') {
    setStatus($('model-status'), explain(kind, message), 'error');
    pending = null;
    // The worker still has the model it had, if any.
    state.model = model?.summary ? 'loaded' : 'error';
    state.modelError = message;
    setBusy(false);
  }
  if (context === 'train-start') setTraining('error');
  if (context === 'export-merged' || context === 'export-adapter') $('export-status').textContent = explain(kind, message);
  if (context === 'train-resume') setTraining('paused');
  if (context === 'generate') genEnded('error');
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
  const off = busy || state.gpu !== 'ready' || training !== 'idle' || generating;
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
  $('cache-info').textContent = repos.length
    ? `Cached in this browser: ${repos.join(', ')}${est ? ` (${fmtBytes(est.usage)} used)` : ''}. The next load starts at once.`
    : 'Downloads are kept in this browser\'s cache, so the next visit starts at once.';
}

/** One Hub file as a Blob: from the cache, or downloaded with progress and then cached. */
async function hubFile(repo, file, progress, optional = false) {
  const url = `${HUB}/${repo}/resolve/main/${file}`;
  const cache = 'caches' in self ? await caches.open(CACHE) : null;
  const hit = cache && await cache.match(url);
  if (hit) {
    const blob = await hit.blob();
    progress(blob.size, blob.size, true);
    return blob;
  }
  const res = await fetch(url);
  if (!res.ok) {
    if (optional && res.status === 404) return null;
    throw new Error(`${url}: HTTP ${res.status}`);
  }
  const total = Number(res.headers.get('content-length')) || 0;
  const reader = res.body.getReader();
  const chunks = [];
  let done = 0;
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    chunks.push(value);
    done += value.byteLength;
    progress(done, total, false);
  }
  // A Blob, which the browser may keep on disk when large; the worker reads it tensor by tensor.
  const blob = new Blob(chunks);
  if (cache) await cache.put(url, new Response(blob, { headers: { 'content-type': 'application/octet-stream' } }));
  return blob;
}

$('download').onclick = async () => {
  const opt = $('preset').selectedOptions[0];
  const repo = opt.value;
  setBusy(true);
  $('download-progress').hidden = false;
  // Progress of one file: bytes done, total, and speed since that file began.
  const show = (file) => {
    const start = performance.now();
    return (done, total, cached) => {
      const secs = (performance.now() - start) / 1000;
      $('download-bar').value = total ? done / total : 0;
      $('download-text').textContent = cached
        ? `${file}: from the cache (${fmtBytes(total)})`
        : `${file}: ${fmtBytes(done)} of ${total ? fmtBytes(total) : '?'} · ${fmtBytes(done / Math.max(secs, 1e-3))}/s`;
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
    showError('io', `Download failed: ${e.message}. Check the connection, or open local files instead.`);
    setBusy(false);
  } finally {
    cacheInfo();
  }
};

$('clear-cache').onclick = async () => {
  if ('caches' in self) await caches.delete(CACHE);
  cacheInfo();
};

/** files: config (text), safetensors (a Blob or File), tokenizer / vocab / merges (ArrayBuffers). */
function loadFiles(name, files) {
  pending = { config: files.config, summary: null };
  delete state.modelError;
  setStatus($('model-status'), `Loading ${name} onto the GPU…`, 'pending');
  state.model = 'loading';
  const transfer = [files.tokenizer, files.vocab, files.merges].filter(Boolean);
  send({ cmd: 'load-model', name, files }, transfer);
}

async function openModelFiles(list) {
  const byName = {};
  for (const f of list) byName[f.name] = f;
  if (byName['adapter_config.json'] || byName['adapter_model.safetensors']) {
    return importAdapter(list);
  }
  const st = list.find((f) => f.name.endsWith('.safetensors'));
  if (!byName['config.json'] || !st) {
    showError('model', 'Open at least config.json and a model.safetensors (plus tokenizer.json, or vocab.json and merges.txt).');
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
  if (state.gpu === 'ready' && training === 'idle' && !generating && !loading) openModelFiles([...e.dataTransfer.files]);
};

$('demo').onclick = () => {
  setBusy(true);
  pending = { config: null, summary: null };
  delete state.modelError;
  setStatus($('model-status'), 'Building a tiny random GPT-2 in the page…', 'pending');
  state.model = 'loading';
  send({ cmd: 'demo-model', seed: 0 });
};

function modelLoaded(s) {
  model = pending ?? { config: null };
  pending = null;
  model.summary = s;
  model.config ??= JSON.stringify({ model_type: 'gpt2', n_layer: s.n_layer, n_embd: s.n_embd, n_head: s.n_head,
    n_positions: s.n_positions, vocab_size: s.vocab_size });
  adapterReady = false;
  setStatus($('model-status'), `Loaded ${s.name}: ${fmtInt(s.parameters)} parameters, ${s.n_layer} layers, width ${s.n_embd}, context ${s.n_positions}.`, 'ok');
  state.model = 'loaded';
  $('out-base').textContent = '';
  $('out-tuned').textContent = '';
  setBusy(false);
  estimate();
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
      packing: f.elements.packing.value, jsonl: textIsJsonl, eval_fraction: (num(f, 'eval_percent') ?? 0) / 100,
      eval_every: num(f, 'eval_every'), model_dropout: md === '' || md === 'config' ? null : Number(md),
    },
  };
}

function estimate() {
  if (!model?.config || state.gpu !== 'ready') {
    const preset = $('preset').selectedOptions[0].dataset.preset;
    if (state.gpu === 'ready') send({ cmd: 'preset-config', preset });
    return;
  }
  send({ cmd: 'estimate', config: model.config, settings: readSettings() });
}
$('settings').oninput = () => estimate();
$('preset').onchange = () => { if (!model) estimate(); };
worker.addEventListener('message', ({ data }) => {
  if (data.status === 'preset-config') {
    send({ cmd: 'estimate', config: data.config, settings: readSettings(), tag: data.preset });
  }
});

function showEstimate({ memory: m, trainable, parameters }) {
  const maxBuffer = limits.max_buffer_size ?? limits.maxBufferSize;
  const parts = [`weights ${fmtBytes(m.weights)}`, `activations ${fmtBytes(m.activations)}`,
    `gradients ${fmtBytes(m.gradients)}`, `LoRA + optimizer ${fmtBytes(m.adapter)}`];
  let text = `What fits: training needs about ${fmtBytes(m.total)} of GPU memory (${parts.join(', ')}); ` +
    `trainable parameters ${fmtInt(trainable)} of ${fmtInt(parameters + trainable)} (${(100 * trainable / (parameters + trainable)).toFixed(4)}%).`;
  let cls = 'muted';
  if (maxBuffer && m.largest_buffer > maxBuffer) {
    text += ` Its largest buffer (${fmtBytes(m.largest_buffer)}) is over this adapter's limit of ${fmtBytes(maxBuffer)}: lower the batch or sequence length.`;
    cls = 'error';
  } else if (maxBuffer) {
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
  $('start').disabled = !loaded || generating || training !== 'idle' && training !== 'paused';
  $('start').textContent = training === 'paused' ? 'Resume' : 'Start';
  $('pause').disabled = training !== 'running';
  $('stop').disabled = training !== 'running' && training !== 'paused';
  $('gen-start').disabled = !loaded || generating || training === 'running';
  $('gen-stop').disabled = !generating;
  $('export-adapter').disabled = !adapterReady || training === 'running';
  $('export-merged').disabled = !adapterReady || training === 'running';
  $('adapter-files').disabled = !loaded || training !== 'idle' || generating;
  for (const el of $('settings').elements) el.disabled = training !== 'idle';
}

function setTraining(s) {
  training = s === 'done' || s === 'stopped' || s === 'error' ? 'idle' : s;
  state.train = s;
  const words = { running: 'Training…', paused: 'Paused.', done: 'Done.', stopped: 'Stopped.', error: 'Stopped by an error.', idle: '' };
  $('train-status').textContent = words[s] ?? '';
  setBusy(false);
}

$('start').onclick = () => {
  if (training === 'paused') {
    setTraining('running');
    send({ cmd: 'train-resume' });
    return;
  }
  const text = openedText ?? $('train-text').value;
  if (!text.trim()) {
    showError('data', 'Paste some training text, or open a .txt or .jsonl file.');
    return;
  }
  losses.length = 0;
  evals.length = 0;
  drawChart();
  setTraining('running');
  $('train-status').textContent = 'Tokenizing and allocating…';
  send({ cmd: 'train-start', text, settings: readSettings() });
};
$('pause').onclick = () => send({ cmd: 'train-pause' });
$('stop').onclick = () => { send({ cmd: 'train-stop' }); $('train-status').textContent = 'Stopping after this step…'; };

let sessionStart = 0; // [elapsed, step] when this run's stats began
function trainPlan(p) {
  plan = p;
  adapterReady = true;
  $('stat-trainable').textContent = `${fmtInt(p.trainable)} of ${fmtInt(p.all)} (${(100 * p.trainable / p.all).toFixed(4)}%)`;
  $('stat-step').textContent = `0 / ${p.total_steps}`;
  $('train-status').textContent = `Training: ${p.train_blocks} blocks${p.eval_blocks ? ` (+${p.eval_blocks} held out)` : ''}, ${p.total_steps} steps, warmup ${p.warmup_steps}.`;
  sessionStart = 0;
}

function trainStep(s) {
  losses.push([s.step, s.loss]);
  if (s.eval_loss !== null && s.eval_loss !== undefined) evals.push([s.step, s.eval_loss]);
  $('stat-step').textContent = `${s.step} / ${s.total}`;
  $('stat-loss').textContent = s.loss.toFixed(4);
  if (evals.length) $('stat-eval').textContent = evals[evals.length - 1][1].toFixed(4);
  $('stat-tps').textContent = s.elapsed > 0 ? fmtInt(Math.round(s.tokens / s.elapsed)) : '–';
  $('stat-eta').textContent = fmtTime((s.total - s.step) * s.elapsed / s.step);
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
  send({ cmd: 'generate', prompt, settings, slots });
};
$('gen-stop').onclick = () => send({ cmd: 'gen-stop' });

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

$('export-adapter').onclick = () => send({ cmd: 'export-adapter' });
$('export-merged').onclick = () => {
  $('export-status').textContent = 'Merging W + s·(B·A)ᵀ into a copy of the base weights…';
  send({ cmd: 'export-merged' });
};

async function importAdapter(list) {
  const config = list.find((f) => f.name.endsWith('.json'));
  const weights = list.find((f) => f.name.endsWith('.safetensors'));
  if (!config || !weights) {
    showError('data', 'Open both of the adapter\'s files: adapter_config.json and adapter_model.safetensors.');
    return;
  }
  const buf = await weights.arrayBuffer();
  send({ cmd: 'import-adapter', config: await config.text(), weights: buf }, [buf]);
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
