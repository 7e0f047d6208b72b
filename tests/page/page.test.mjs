// The page in a real browser (make test-page, part of make test): headless Chromium with WebGPU
// on SwiftShader, driven by Playwright. It serves www/ (built by `make pkg`), then
//   1. builds the offline demo model;
//   2. downloads the gpt2-tiny fixture through the page's Hub path (tools/serve.py --hub answers
//      the Hub's URL scheme; --cut-once drops model.safetensors half-way through its first GET,
//      and the page must go on with a Range request), loads it again from the Cache API (HEADs
//      only), makes two cache entries stale from inside the page (a wrong etag, a cut body) and
//      sees both downloaded again, clears the cache;
//   3. opens the same fixture from local files, trains 20 steps with gradient checkpointing
//      (recompute) and sees the loss fall;
//   4. generates, base and fine-tuned side by side;
//   5. downloads the adapter, checks PEFT's keys and shapes, and compares every tensor with
//      `webtune train` run natively on the same file with the same settings but no recompute
//      (≤ 1e-4 relative);
//   6. downloads the merged model and checks its tensors;
//   7.-9. device loss and Restart, reproducibility, an overflowing update, a run past the
//      adapter's limits (see each step);
//   10. loads the fixture as a 4-bit base (QLoRA: nf4 + double quantization), trains, and
//      compares the adapter with `webtune train --weights nf4 --double-quant`;
// and fails on any console error. The screenshot goes to target/page-test/page.png.
//
// Run: node tests/page/page.test.mjs   (after `make pkg` and `cargo build`)

import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { RateMeter } from '../../www/format.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'target', 'page-test');
const FIXTURE = join(ROOT, 'tests', 'fixtures', 'gpt2-tiny');
const STEPS = 20;
const TOL = 1e-4;
// How Chromium reports a response that ends before its Content-Length (serve.py --cut-once).
/** Other origins, for the checks that requests leaving the page's are stopped: one its CSP does
 * not list (blocked), one it does (the real Hub: the recorder must flag it). */
const PROBES = ['http://127.0.0.1:1/webtune-probe', 'https://huggingface.co/webtune-probe'];
const CUT_ERRORS = ['net::ERR_CONTENT_LENGTH_MISMATCH', 'net::ERR_INCOMPLETE_CHUNKED_ENCODING'];

function check(ok, message) {
  if (!ok) throw new Error(message);
}

/** safetensors: {name: {dtype, shape, data (Float32Array)}} */
function readSafetensors(buf) {
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const out = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [a, b] = t.data_offsets;
    const bytes = buf.subarray(8 + n + a, 8 + n + b);
    out[name] = {
      dtype: t.dtype,
      shape: t.shape,
      data: t.dtype === 'F32' ? new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) : null,
    };
  }
  return { tensors: out, metadata: header.__metadata__ ?? {} };
}

/** The largest relative 2-norm difference between two adapters' tensors `keys`. */
function worstRel(got, ref, keys) {
  let worst = 0;
  for (const k of keys) {
    const [a, b] = [got.tensors[k].data, ref.tensors[k].data];
    let d = 0, n = 0;
    for (let i = 0; i < b.length; i++) { d += (a[i] - b[i]) ** 2; n += b[i] ** 2; }
    worst = Math.max(worst, Math.sqrt(d / n));
  }
  return worst;
}

/** A plain-text corpus with LF line ends, the same bytes for the page and for `webtune train`. */
function corpus() {
  const words = 'the a small model learns to write short stories about cats dogs rivers trees and the sea'.split(' ');
  const lines = [];
  let x = 7;
  for (let i = 0; i < 60; i++) {
    const line = [];
    for (let j = 0; j < 12; j++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      line.push(words[x % words.length]);
    }
    lines.push(`${line.join(' ')}.`);
  }
  return lines.join('\n') + '\n';
}

/** A GPT-2 folder with random f32 weights and the sizes in `dims` (the rest as the fixture's
 * config.json), with the fixture's tokenizer files: for sizes no fixture has. */
function writeModel(dir, dims) {
  mkdirSync(dir, { recursive: true });
  const config = { ...JSON.parse(readFileSync(join(FIXTURE, 'config.json'), 'utf8')), ...dims, dtype: 'float32' };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const { n_embd: c, n_inner: f, n_positions: p, vocab_size: v, n_layer: layers } = config;
  const shapes = { 'transformer.wte.weight': [v, c], 'transformer.wpe.weight': [p, c], 'transformer.ln_f.weight': [c], 'transformer.ln_f.bias': [c] };
  for (let l = 0; l < layers; l++) {
    const h = `transformer.h.${l}`;
    Object.assign(shapes, {
      [`${h}.ln_1.weight`]: [c], [`${h}.ln_1.bias`]: [c], [`${h}.ln_2.weight`]: [c], [`${h}.ln_2.bias`]: [c],
      [`${h}.attn.c_attn.weight`]: [c, 3 * c], [`${h}.attn.c_attn.bias`]: [3 * c],
      [`${h}.attn.c_proj.weight`]: [c, c], [`${h}.attn.c_proj.bias`]: [c],
      [`${h}.mlp.c_fc.weight`]: [c, f], [`${h}.mlp.c_fc.bias`]: [f],
      [`${h}.mlp.c_proj.weight`]: [f, c], [`${h}.mlp.c_proj.bias`]: [c],
    });
  }
  const header = { __metadata__: { format: 'pt' } };
  const parts = [];
  let offset = 0, x = 1;
  for (const [name, shape] of Object.entries(shapes)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (/ln_(1|2|f)\.weight$/.test(name)) data.fill(1);
    else if (name.endsWith('.weight')) {
      for (let i = 0; i < data.length; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        data[i] = (x / 2 ** 32 - 0.5) * 0.04;
      }
    }
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    parts.push(Buffer.from(data.buffer));
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(join(dir, 'model.safetensors'), Buffer.concat([len, Buffer.from(json), ...parts]));
  for (const file of ['vocab.json', 'merges.txt']) copyFileSync(join(FIXTURE, file), join(dir, file));
}

/** tools/serve.py on a free port; `cuts` collects the bytes it sent of each download it cut off. */
async function serve() {
  const server = spawn('python3', [join(ROOT, 'tools', 'serve.py'), '--dir', join(ROOT, 'www'), '--port', '0', '--quiet',
    '--hub', join(ROOT, 'tests', 'fixtures'), '--cut-once', 'model.safetensors'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const cuts = [];
  const url = await new Promise((res, rej) => {
    server.stdout.on('data', (d) => {
      for (const m of d.toString().matchAll(/hub: cut off (\S+) after (\d+) of (\d+) bytes/g)) {
        cuts.push({ file: m[1], sent: Number(m[2]), size: Number(m[3]) });
      }
      const m = /on (http:\/\/\S+\/)/.exec(d.toString());
      if (m) res(m[1]);
    });
    server.on('exit', (code) => rej(new Error(`tools/serve.py exited with ${code}`)));
  });
  return { server, url, cuts };
}

/** The page's tokens/s and ETA (www/format.js RateMeter, plain JS: checked here in Node): over
 * the last 10 steps, so a slow first step (allocation, the autotuner) stops counting at once. */
function checkRateMeter() {
  const near = (a, b) => a !== null && Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b));
  let r = new RateMeter(10).step({ step: 1, total: 30, elapsed: 0, tokens: 64 });
  check(r.tokensPerSecond === null && r.secondsLeft === null, `no time yet, yet a rate: ${JSON.stringify(r)}`);
  const meter = new RateMeter(10);
  const step = (n, elapsed) => meter.step({ step: n, total: 30, elapsed, tokens: 64 * n });
  r = step(1, 10); // the first step: 10 s of allocation and tuning, 64 tokens
  check(near(r.tokensPerSecond, 6.4) && near(r.secondsLeft, 290), `after the first step: ${JSON.stringify(r)}`);
  r = step(2, 11); // then 1 s a step: the first step no longer counts
  check(near(r.tokensPerSecond, 64) && near(r.secondsLeft, 28), `after the second step: ${JSON.stringify(r)}`);
  let elapsed = 11;
  for (let n = 3; n <= 12; n++) r = step(n, (elapsed += 2)); // 2 s a step: the window holds only these
  check(near(r.tokensPerSecond, 32) && near(r.secondsLeft, 36), `after ten 2 s steps: ${JSON.stringify(r)}`);
  console.log('page: tokens/s and ETA are over the last 10 steps (RateMeter)');
}

async function main() {
  checkRateMeter();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const text = corpus();
  const textFile = join(OUT, 'corpus.txt');
  writeFileSync(textFile, text);

  const { server, url, cuts } = await serve();
  const flags = JSON.parse(readFileSync(join(ROOT, 'webdriver.json'), 'utf8'))['goog:chromeOptions'];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? flags.binary, args: flags.args });
  const problems = [];
  // Every request the page (and its worker) makes: nothing loaded or typed may leave the
  // machine, so each must go to the page's own origin (its files and the stand-in Hub), and
  // only to read (GET, HEAD).
  const origin = new URL(url).origin;
  const requests = [];
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
    context.on('request', (r) => {
      requests.push(r);
      const u = new URL(r.url());
      if (u.protocol === 'data:' || u.protocol === 'blob:') return;
      if (u.origin !== origin) problems.push(`a request left the page's origin: ${r.method()} ${r.url()}`);
      else if (!['GET', 'HEAD'].includes(r.method())) problems.push(`a request sent data: ${r.method()} ${r.url()}`);
    });
    const probeLogs = []; // what Chromium logged about the probe requests
    let offline = false; // while the test has taken the browser offline, failed fetches are expected
    const page = await context.newPage();
    let cutLogged = false; // Chromium logged the GET that serve.py --cut-once dropped
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const at = m.location().url;
      // The fixture has no tokenizer.json: the page's 404 for it (then vocab.json + merges.txt)
      // is the fallback working, which Chromium logs as an error. So is the one download cut
      // off on purpose, once. Nothing else is excused.
      if (at.endsWith('/hub/gpt2-tiny/resolve/main/tokenizer.json')) return;
      if (offline && m.text() === 'Failed to load resource: net::ERR_INTERNET_DISCONNECTED') return;
      if (PROBES.some((p) => at === p || m.text().includes(p))) { probeLogs.push(m.text()); return; }
      if (!cutLogged && at.endsWith('/hub/gpt2-tiny/resolve/main/model.safetensors')
        && CUT_ERRORS.some((e) => m.text() === `Failed to load resource: ${e}`)) {
        cutLogged = true;
        return;
      }
      problems.push(`console error: ${m.text()} (${at})`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    // The page's requests to the test's Hub, in order: {method, file, range (the header or null), request}.
    const hub = [];
    page.on('request', (r) => {
      if (!r.url().includes('/hub/')) return;
      hub.push({ method: r.method(), file: r.url().split('/').pop(), range: r.headers().range ?? null, request: r });
    });
    let cutOff = null; // how Chromium reported the GET that serve.py --cut-once dropped
    page.on('requestfailed', (r) => {
      const error = r.failure()?.errorText;
      // The first GET of model.safetensors is the one serve.py cuts off half-way.
      if (r === hub.find((q) => q.method === 'GET' && q.file === 'model.safetensors')?.request && CUT_ERRORS.includes(error)) {
        cutOff = error;
        return;
      }
      // Chromium reports a fetch whose body was read to its end through a stream reader (the
      // page's progress bar) as net::ERR_ABORTED now and then (with res.arrayBuffer() it never
      // does). The bytes all arrived: the model loads, and a short config, vocabulary or
      // checkpoint is refused by its parser (or by hub.js's size check). Every other failed
      // request counts.
      if (error === 'net::ERR_ABORTED' && r.url().includes('/hub/gpt2-tiny/resolve/main/')) return;
      if (offline && error === 'net::ERR_INTERNET_DISCONNECTED') return;
      if (PROBES.includes(r.url())) return;
      problems.push(`request failed: ${r.url()} ${error}`);
    });
    page.setDefaultTimeout(600_000);

    // First load: from navigation to "ready" (the .wasm fetched and compiled, the worker started,
    // the GPU opened), on a fresh browser profile, so nothing comes from the HTTP cache.
    const navigated = performance.now();
    await page.goto(`${url}?hub=/hub`);
    await page.waitForFunction(() => document.body.dataset.gpu, null, { timeout: 120_000 });
    const gpu = await page.evaluate(() => document.body.dataset.gpu);
    check(gpu === 'ready', `WebGPU did not come up: ${await page.locator('#gpu-status').innerText()}`);
    const wasmBytes = readFileSync(join(ROOT, 'www', 'pkg', 'webtune_bg.wasm')).length;
    console.log(`page: ready ${((performance.now() - navigated) / 1000).toFixed(2)} s after navigation (webtune_bg.wasm ${wasmBytes} bytes)`);
    console.log(`page: ${await page.locator('#gpu-status').innerText()}`);
    // Both guards can fail: the page's Content-Security-Policy blocks a request to an origin it
    // does not list, and the recorder flags one to an origin it does (the Hub, huggingface.co).
    await page.evaluate((probe) => fetch(probe).catch(() => {}), PROBES[0]);
    check(probeLogs.some((m) => m.includes('Content Security Policy')), `the page's CSP let ${PROBES[0]} through: ${probeLogs}`);
    await page.evaluate((probe) => { fetch(probe).catch(() => {}); }, PROBES[1]);
    for (let i = 0; i < 100 && !problems.some((p) => p.includes(PROBES[1])); i++) await new Promise((r) => setTimeout(r, 50));
    const caught = problems.findIndex((p) => p.includes(PROBES[1]));
    check(caught >= 0, `the request recorder missed ${PROBES[1]}`);
    problems.splice(caught, 1);
    console.log('page: a request to an unlisted origin is blocked by the CSP; one to a listed origin is caught by the recorder');

    // 1. The offline demo builds in the page.
    // Wait for a model state to settle: 'loaded', or 'error' with the reason on the page.
    const modelLoaded = async (what) => {
      await page.waitForFunction(() => document.body.dataset.modelError !== undefined
        || document.body.dataset.model === 'loaded');
      check(await page.evaluate(() => document.body.dataset.modelError) === undefined,
        `${what}: ${await page.locator('#model-status').innerText()}`);
    };
    await page.click('#demo');
    await modelLoaded('the demo model');
    console.log(`page: ${await page.locator('#model-status').innerText()}`);

    // 2. The Hub path: download with progress into the Cache API, then from the cache.
    await page.evaluate(() => {
      const o = new Option('gpt2-tiny (test fixture)', 'gpt2-tiny');
      o.dataset.preset = 'gpt2';
      document.getElementById('preset').append(o);
      document.getElementById('preset').value = 'gpt2-tiny';
    });
    const hubLoad = async (what) => {
      await page.click('#download');
      await page.waitForFunction(() => document.body.dataset.modelError !== undefined
        || /Loaded gpt2-tiny/.test(document.getElementById('model-status').textContent));
      await modelLoaded(what);
      return page.locator('#download-text').innerText();
    };
    // The Hub requests since `from` (an index into `hub`): the GETs of `file`, and all in words.
    const gets = (from, file) => hub.slice(from).filter((q) => q.method === 'GET' && q.file === file);
    const since = (from) => hub.slice(from).map((q) => `${q.method} ${q.file}${q.range ? ` (${q.range})` : ''}`).join(', ');
    const fresh = await hubLoad('the Hub download');
    check(/^model\.safetensors: [\d.]+ MB of [\d.]+ MB · /.test(fresh), `download progress: ${fresh}`);
    check(/gpt2-tiny/.test(await page.locator('#cache-info').innerText()), 'the download is not in the cache');
    // serve.py cut the first GET of model.safetensors off half-way: the page went on from where it
    // broke, with a Range request. (Chromium may drop some of the bytes that did arrive when the
    // connection breaks, so the range can start before the cut.)
    const cut = cuts.find((c) => c.file === 'model.safetensors');
    check(cut, 'serve.py --cut-once did not cut model.safetensors off');
    const [cutGet, resumed] = gets(0, 'model.safetensors');
    const at = Number(/^bytes=(\d+)-$/.exec(resumed?.range ?? '')?.[1]);
    check(cutGet?.range === null && at > 0 && at <= cut.sent,
      `the cut-off download did not resume with Range (cut at ${cut.sent}): ${since(0)}`);
    check(cutOff, 'Chromium did not report the cut-off GET as failed');
    check(/resumed at/.test(fresh), `download progress does not say it resumed: ${fresh}`);

    // From the cache: the page asks the Hub (HEAD) whether each file changed, and GETs nothing.
    await page.evaluate(() => { document.getElementById('model-status').textContent = ''; });
    let from = hub.length;
    const cached = await hubLoad('the cached download');
    check(/from the cache/.test(cached), `second load: ${cached}`);
    check(hub.length > from && hub.slice(from).every((q) => q.method === 'HEAD'),
      `the load from the cache did more than HEADs: ${since(from)}`);

    // Offline, with the model cached: it loads from the cache, unchecked, and says so.
    await context.setOffline(true);
    offline = true;
    await page.evaluate(() => { document.getElementById('model-status').textContent = ''; });
    const offlineLoad = await hubLoad('the load while offline');
    check(/cannot be reached/.test(offlineLoad), `the offline load does not say the Hub cannot be reached: ${offlineLoad}`);
    await context.setOffline(false);
    offline = false;
    console.log(`page: offline, the cached model loaded: "${offlineLoad}"`);

    // Stale entries: model.safetensors's etag no longer the Hub's, vocab.json's body cut short.
    await page.evaluate(async () => {
      const cache = await caches.open('webtune-hub-v1');
      const base = '/hub/gpt2-tiny/resolve/main/';
      const model = await cache.match(`${base}model.safetensors`);
      const headers = new Headers(model.headers);
      headers.set('x-webtune-etag', 'an-older-commit');
      await cache.put(`${base}model.safetensors`, new Response(await model.blob(), { headers }));
      const vocab = await cache.match(`${base}vocab.json`);
      const blob = await vocab.blob();
      await cache.put(`${base}vocab.json`, new Response(blob.slice(0, blob.size / 2), { headers: vocab.headers }));
    });
    await page.evaluate(() => { document.getElementById('model-status').textContent = ''; });
    from = hub.length;
    const stale = await hubLoad('the download of stale cache entries');
    check(gets(from, 'model.safetensors').length === 1 && gets(from, 'vocab.json').length === 1,
      `stale cache entries were not downloaded again: ${since(from)}`);
    check(gets(from, 'config.json').length === 0 && gets(from, 'merges.txt').length === 0,
      `files still good in the cache were downloaded again: ${since(from)}`);
    check(/changed on the Hub/.test(stale), `the page does not say why it downloads again: ${stale}`);
    await page.click('#clear-cache');
    await page.waitForFunction(() => !/gpt2-tiny/.test(document.getElementById('cache-info').textContent));
    console.log(`page: Hub path: "${fresh}", then "${cached}", then "${stale}", then cleared`);
    console.log(`page: download cut at ${cut.sent} of ${cut.size} bytes (Chromium: ${cutOff}) resumed with Range bytes=${at}-; stale cache entries (etag, size) refetched`);

    // 3. The fixture model from local files; 20 steps on the corpus.
    await page.setInputFiles('#model-files', ['config.json', 'model.safetensors', 'vocab.json', 'merges.txt'].map((f) => join(FIXTURE, f)));
    await page.waitForFunction(() => document.body.dataset.modelError !== undefined
      || /Loaded local model/.test(document.getElementById('model-status').textContent));
    await modelLoaded('the gpt2-tiny fixture');
    await page.setInputFiles('#text-files', textFile);
    const settings = {
      r: '8', alpha: '16', lora_dropout: '0', targets: 'c_attn', lr: '0.01', warmup_ratio: '0', steps: String(STEPS),
      batch: '4', seq_len: '16', eval_percent: '0', model_dropout: '0', seed: '0',
    };
    for (const [name, value] of Object.entries(settings)) await page.fill(`#settings [name=${name}]`, value);
    await page.selectOption('#settings [name=schedule]', 'constant');
    // Gradient checkpointing on in the page, off in the native run below: the adapters must agree.
    await page.check('#settings [name=recompute]');
    await page.waitForFunction(() => document.getElementById('fit').textContent.startsWith('What fits'));
    console.log(`page: ${await page.locator('#fit').innerText()}`);
    const started = Date.now();
    await page.click('#start');
    // Pause after a few steps, then resume: the run must end as an uninterrupted one would.
    await page.waitForFunction(() => Number(document.getElementById('stat-step').textContent.split(' / ')[0]) >= 5);
    await page.click('#pause');
    await page.waitForFunction(() => document.body.dataset.train === 'paused');
    const pausedAt = await page.locator('#stat-step').innerText();
    await new Promise((r) => setTimeout(r, 500));
    check(await page.locator('#stat-step').innerText() === pausedAt, 'steps went on while paused');
    check(await page.locator('#start').innerText() === 'Resume', 'no Resume button while paused');
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.train));
    const trainState = await page.evaluate(() => document.body.dataset.train);
    check(trainState === 'done', `training ended '${trainState}': ${await page.locator('#banner-text').innerText()}`);
    const losses = JSON.parse(await page.locator('#chart').getAttribute('data-losses'));
    check(losses.length === STEPS, `${losses.length} losses for ${STEPS} steps`);
    const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
    const [first, last] = [mean(losses.slice(0, 5)), mean(losses.slice(-5))];
    console.log(`page: paused at step ${pausedAt}, resumed`);
    console.log(`page: ${STEPS} steps in ${((Date.now() - started) / 1000).toFixed(1)} s; loss ${first.toFixed(4)} (first 5) -> ${last.toFixed(4)} (last 5); trainable ${await page.locator('#stat-trainable').innerText()}`);
    check(last < first, `the loss did not fall: ${losses.join(', ')}`);
    // The autotuner's choices for this adapter are kept in IndexedDB for the next visit.
    const tuning = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('webtune');
      open.onerror = () => resolve([]);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('tuning')) { db.close(); resolve([]); return; }
        const all = db.transaction('tuning').objectStore('tuning').getAll();
        all.onsuccess = () => { db.close(); resolve(all.result); };
        all.onerror = () => { db.close(); resolve([]); };
      };
    }));
    check(tuning.length === 1 && Object.keys(JSON.parse(tuning[0])).length > 0, `autotuner choices in IndexedDB: ${JSON.stringify(tuning)}`);
    console.log(`page: autotuner choices kept in IndexedDB: ${JSON.stringify(JSON.parse(tuning[0]))}`);
    // Reported, not asserted (speed is a benchmark's business): BENCHMARKS.md sets it beside
    // `webtune bench train` on the same shape.
    console.log(`page: tokens/s as the page shows it: ${await page.locator('#stat-tps').innerText()} (B 4, T 16, the fixture's shape; the browser's WebGPU adapter: ${await page.locator('#gpu-status').innerText()})`);

    // 4. Generation, both panes.
    await page.fill('#prompt', 'the small model');
    await page.fill('#gen-settings [name=max_new_tokens]', '12');
    await page.fill('#gen-settings [name=temperature]', '0');
    await page.click('#gen-start');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.gen));
    check(await page.evaluate(() => document.body.dataset.gen) === 'done', `generation: ${await page.locator('#banner-text').innerText()}`);
    const [base, tuned] = [await page.locator('#out-base').innerText(), await page.locator('#out-tuned').innerText()];
    console.log(`page: base:  ${JSON.stringify(base)}\npage: tuned: ${JSON.stringify(tuned)}`);
    check(base.length > 'the small model'.length && tuned.length > 'the small model'.length, 'no generated text');
    check(base !== tuned, 'the fine-tuned model generates what the base model does');

    // 5. The adapter's PEFT files.
    const downloads = [];
    page.on('download', (d) => downloads.push(d));
    /** Export the page's adapter; its two files saved in OUT/`dir`, as {file name: path}. */
    const exportAdapter = async (dir) => {
      await page.evaluate(() => { document.getElementById('export-status').textContent = ''; });
      await page.click('#export-adapter');
      await page.waitForFunction(() => /Downloaded adapter_config.json/.test(document.getElementById('export-status').textContent));
      while (downloads.length < 2) await new Promise((r) => setTimeout(r, 100));
      const files = {};
      for (const d of downloads.splice(0)) {
        files[d.suggestedFilename()] = join(OUT, dir, d.suggestedFilename());
        await d.saveAs(files[d.suggestedFilename()]);
      }
      return files;
    };
    let exports = 0;
    /** The bytes of the page's adapter_model.safetensors, exported now. */
    const adapterBytes = async () => readFileSync((await exportAdapter(`page-export-${exports++}`))['adapter_model.safetensors']);
    const saved = await exportAdapter('page-adapter');
    const config = JSON.parse(readFileSync(saved['adapter_config.json'], 'utf8'));
    check(config.peft_type === 'LORA' && config.r === 8 && config.lora_alpha === 16 && config.target_modules.join() === 'c_attn',
      `adapter_config.json: ${JSON.stringify(config)}`);
    const got = readSafetensors(readFileSync(saved['adapter_model.safetensors']));
    const want = {};
    for (const l of [0, 1]) {
      want[`base_model.model.transformer.h.${l}.attn.c_attn.lora_A.weight`] = [8, 32];
      want[`base_model.model.transformer.h.${l}.attn.c_attn.lora_B.weight`] = [96, 8];
    }
    check(JSON.stringify(Object.keys(got.tensors).sort()) === JSON.stringify(Object.keys(want).sort()),
      `adapter keys: ${Object.keys(got.tensors)}`);
    for (const [k, shape] of Object.entries(want)) {
      check(JSON.stringify(got.tensors[k].shape) === JSON.stringify(shape) && got.tensors[k].dtype === 'F32',
        `${k}: ${got.tensors[k].dtype} ${got.tensors[k].shape}, expected F32 ${shape}`);
    }

    // The same run natively.
    const native = join(OUT, 'native-adapter');
    const bin = join(ROOT, 'target', 'debug', 'webtune');
    execFileSync(bin, ['train', '--model', FIXTURE, '--data', textFile, '--out', native, '--steps', String(STEPS),
      '--batch', '4', '--seq-len', '16', '--lr', '0.01', '--schedule', 'constant', '--warmup', '0',
      '--dropout', '0', '--model-dropout', '0', '--seed', '0', '--r', '8', '--alpha', '16', '--targets', 'c_attn'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
    const ref = readSafetensors(readFileSync(join(native, 'adapter_model.safetensors')));
    const worst = worstRel(got, ref, Object.keys(want));
    console.log(`page: adapter vs webtune train (native): worst tensor rel ${worst.toExponential(2)} (2-norm, bar ${TOL})`);
    check(worst <= TOL, `page and native adapters differ: rel ${worst}`);

    // 6. The merged model.
    await page.click('#export-merged');
    await page.waitForFunction(() => /Downloaded config.json/.test(document.getElementById('export-status').textContent));
    while (downloads.length < 2) await new Promise((r) => setTimeout(r, 100));
    for (const d of downloads.splice(0)) await d.saveAs(join(OUT, 'page-merged', d.suggestedFilename()));
    const merged = readSafetensors(readFileSync(join(OUT, 'page-merged', 'model.safetensors')));
    check(merged.tensors['transformer.wte.weight']?.shape.join() === '50257,32', 'merged model.safetensors has no wte');
    check(merged.tensors['transformer.h.1.attn.c_attn.weight']?.dtype === 'F32', 'merged c_attn is not f32');

    // Errors reported by the worker (a wasm panic included) show in the banner.
    check(await page.locator('#banner').isHidden(), `the page showed an error: ${await page.locator('#banner-text').innerText()}`);
    await page.screenshot({ path: join(OUT, 'page.png'), fullPage: true });
    console.log(`page: screenshot ${join(OUT, 'page.png')}`);

    // 7. The GPU device lost (destroyed, as a driver reset loses it): the next GPU work fails
    // with the device-lost message and no numbers, and Restart really restarts.
    await page.evaluate(() => window.webtuneFaults.loseDevice());
    await page.click('#gen-start');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.gen));
    const lostGen = await page.evaluate(() => document.body.dataset.gen);
    const lostText = await page.locator('#banner-text').innerText();
    check(lostGen === 'error', `generation on a lost device ended '${lostGen}'`);
    check(/device was lost/.test(lostText), `the banner after the loss: ${lostText}`);
    check(await page.locator('#banner-restart').isVisible(), 'no Restart button after the device was lost');
    const [baseAfter, tunedAfter] = [await page.locator('#out-base').innerText(), await page.locator('#out-tuned').innerText()];
    check(baseAfter.length <= 'the small model'.length && tunedAfter.length <= 'the small model'.length,
      `text generated on a lost device: ${JSON.stringify([baseAfter, tunedAfter])}`);
    await Promise.all([page.waitForNavigation(), page.click('#banner-restart')]);
    await page.waitForFunction(() => document.body.dataset.gpu, null, { timeout: 120_000 });
    check(await page.evaluate(() => document.body.dataset.gpu) === 'ready', 'WebGPU did not come back after Restart');
    await page.click('#demo');
    await modelLoaded('the demo model after Restart');
    console.log(`page: device lost -> "${lostText.slice(0, 60)}…", Restart -> ready, the demo model loads again`);

    // 8. Reproducibility: with LoRA and model dropout on, the same seed gives a bit-identical
    // adapter, and another seed another one.
    await page.setInputFiles('#text-files', textFile);
    const adapterOf = async (seed) => {
      const short = { ...settings, lora_dropout: '0.1', model_dropout: '0.1', steps: '3', seed: String(seed) };
      for (const [name, value] of Object.entries(short)) await page.fill(`#settings [name=${name}]`, value);
      await page.click('#start');
      await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.train));
      check(await page.evaluate(() => document.body.dataset.train) === 'done', `seed ${seed}: ${await page.locator('#banner-text').innerText()}`);
      return adapterBytes();
    };
    const [first7, again7, other8] = [await adapterOf(7), await adapterOf(7), await adapterOf(8)];
    check(Buffer.compare(first7, again7) === 0, 'two page runs with seed 7 gave different adapters');
    check(Buffer.compare(first7, other8) !== 0, 'seeds 7 and 8 gave the same adapter');
    console.log(`page: dropout on, seed 7 twice: bit-identical adapters (${first7.length} bytes); seed 8: another`);

    // 9. An update that overflows (lr 1e38: AdamW's lr / (1 - β1) is past f32's range) stops the
    // run with the step named, and the adapter of the last good step is kept, finite.
    for (const [name, value] of Object.entries({ ...settings, lr: '1e38', steps: '5' })) await page.fill(`#settings [name=${name}]`, value);
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.train));
    const nanState = await page.evaluate(() => document.body.dataset.train);
    const nanText = await page.locator('#banner-text').innerText();
    check(nanState === 'error' && /step \d: the (loss is not finite|gradient norm is not finite|update would make \d+ adapter values non-finite)/.test(nanText),
      `lr 1e38 ended '${nanState}': ${nanText}`);
    const keptTensors = Object.values(readSafetensors(await adapterBytes()).tensors);
    check(keptTensors.length > 0 && keptTensors.every((t) => t.data.every(Number.isFinite)), 'the kept adapter is not finite');
    console.log(`page: lr 1e38 -> "${nanText}"; the last good adapter exports, finite`);

    // 9b. A run past the adapter's limits (a model with a wide MLP at T 1024: one activation
    // buffer of B x T x n_inner floats): What fits warns, Start refuses it with the numbers, and
    // nothing is lost: the adapter trained before exports unchanged, and the page goes on (step
    // 10 loads and trains another model). No Restart: the device is fine.
    const wide = join(OUT, 'gpt2-wide-mlp');
    writeModel(wide, { n_layer: 1, n_embd: 64, n_head: 4, n_inner: 4096, n_positions: 1024 });
    /** Open a model folder's files in the page, its weights stored as `weights`. */
    const openLocal = async (dir, weights, what) => {
      await page.selectOption('#weights', weights);
      await page.evaluate(() => { document.getElementById('model-status').textContent = ''; });
      await page.setInputFiles('#model-files', ['config.json', 'model.safetensors', 'vocab.json', 'merges.txt'].map((f) => join(dir, f)));
      await page.waitForFunction(() => document.body.dataset.modelError !== undefined
        || /Loaded local model/.test(document.getElementById('model-status').textContent));
      await modelLoaded(what);
    };
    await openLocal(wide, 'f32', 'a model with a wide MLP');
    const bigText = join(OUT, 'big.txt');
    writeFileSync(bigText, 'the cat sat on the mat and the dog lay by the door. '.repeat(15_000));
    await page.setInputFiles('#text-files', bigText);
    for (const [name, value] of Object.entries({ ...settings, batch: '1', seq_len: '64', steps: '1' })) await page.fill(`#settings [name=${name}]`, value);
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.train), null, { timeout: 300_000 });
    check(await page.evaluate(() => document.body.dataset.train) === 'done', `the wide model's short run: ${await page.locator('#banner-text').innerText()}`);
    const trained = await adapterBytes();
    for (const [name, value] of Object.entries({ ...settings, batch: '4096', seq_len: '1024', steps: '1' })) await page.fill(`#settings [name=${name}]`, value);
    await page.waitForFunction(() => /over this adapter's limit/.test(document.getElementById('fit').textContent));
    const fitWarning = await page.locator('#fit').innerText();
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.train), null, { timeout: 300_000 });
    const bigState = await page.evaluate(() => document.body.dataset.train);
    const refusal = await page.locator('#banner-text').innerText();
    check(bigState === 'error' && /training \d+ x 1024 tokens a step needs a GPU buffer of \d+ bytes, over (this adapter|the adapter '.+')'s (max_buffer_size|max_storage_buffer_binding_size) of \d+ bytes/.test(refusal),
      `a run past the limits ended '${bigState}': ${refusal}`);
    check(await page.locator('#banner-restart').isHidden(), 'a refused run offered Restart');
    check(Buffer.compare(await adapterBytes(), trained) === 0, 'the adapter changed when a run was refused');
    console.log(`page: ${fitWarning.replace(/^.*(Its largest buffer)/, '$1')}`);
    console.log(`page: a run past the limits -> "${refusal}"; the adapter trained before exports unchanged`);
    await page.setInputFiles('#text-files', textFile);

    // 10. QLoRA: the fixture loaded as a 4-bit base (nf4 + double quantization), 6 steps; the
    // adapter is PEFT's files for a bitsandbytes base (fan_in_fan_out false) and equals
    // `webtune train --weights nf4 --double-quant` run natively on the same file.
    await openLocal(FIXTURE, 'nf4-dq', 'the gpt2-tiny fixture as a 4-bit base');
    const q4Status = await page.locator('#model-status').innerText();
    check(/weights nf4 \+ double quantization \(4-bit base\)/.test(q4Status), `model status: ${q4Status}`);
    const Q4_STEPS = 6;
    for (const [name, value] of Object.entries({ ...settings, steps: String(Q4_STEPS) })) await page.fill(`#settings [name=${name}]`, value);
    await page.selectOption('#settings [name=schedule]', 'constant');
    await page.waitForFunction(() => document.getElementById('fit').textContent.startsWith('What fits'));
    console.log(`page: 4-bit base: ${q4Status}; ${await page.locator('#fit').innerText()}`);
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.train));
    check(await page.evaluate(() => document.body.dataset.train) === 'done', `QLoRA run: ${await page.locator('#banner-text').innerText()}`);
    const q4Saved = await exportAdapter('page-q4-adapter');
    const q4Config = JSON.parse(readFileSync(q4Saved['adapter_config.json'], 'utf8'));
    check(q4Config.fan_in_fan_out === false, `adapter_config.json of a 4-bit base: fan_in_fan_out ${q4Config.fan_in_fan_out}`);
    const q4Native = join(OUT, 'native-q4-adapter');
    execFileSync(bin, ['train', '--model', FIXTURE, '--data', textFile, '--out', q4Native, '--steps', String(Q4_STEPS),
      '--batch', '4', '--seq-len', '16', '--lr', '0.01', '--schedule', 'constant', '--warmup', '0',
      '--dropout', '0', '--model-dropout', '0', '--seed', '0', '--r', '8', '--alpha', '16', '--targets', 'c_attn',
      '--weights', 'nf4', '--double-quant'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const q4Got = readSafetensors(readFileSync(q4Saved['adapter_model.safetensors']));
    const q4Ref = readSafetensors(readFileSync(join(q4Native, 'adapter_model.safetensors')));
    const q4Worst = worstRel(q4Got, q4Ref, Object.keys(want));
    console.log(`page: QLoRA adapter (nf4 + double quant, ${Q4_STEPS} steps) vs webtune train --weights nf4 --double-quant: worst tensor rel ${q4Worst.toExponential(2)} (bar ${TOL})`);
    check(q4Worst <= TOL, `page and native QLoRA adapters differ: rel ${q4Worst}`);
  } finally {
    await browser.close();
    server.kill();
  }
  check(problems.length === 0, `the page logged errors:\n${problems.join('\n')}`);
  console.log(`page: ${requests.filter((r) => !PROBES.includes(r.url())).length} requests (the probe aside), every one a GET or HEAD to ${origin} (the page and its stand-in Hub)`);
  console.log('page: ok');
}

main().catch((e) => {
  console.error(`page test FAILED: ${e.message}`);
  process.exit(1);
});
