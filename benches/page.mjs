// The page's own training speed: headless Chromium (WebGPU on SwiftShader, webdriver.json's
// flags) opens www/, builds the offline demo model, trains it on a made-up corpus with the
// page's default settings (LoRA r 8, alpha 16, dropout 0.05 on c_attn, the model's dropout, AdamW)
// and the batch and sequence length given, and prints the tokens/s the page itself shows: the
// rate over the run's last 10 steps, after the first step's allocation and kernel timing.
//
//   node benches/page.mjs [--batch 4] [--seq-len 128] [--steps 12] [--recompute] [--json]
//
// `webtune bench train --layers 2 --width 64 --heads 4` with the same --batch and --seq-len is
// the native run of the same shape (benches/emulators.sh --page runs both, interleaved). Needs
// `make pkg` (www/pkg) and the page test's playwright-core (tools/install-deps.sh test).
// Reported, not asserted: speed is a benchmark's business.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RateMeter } from '../www/format.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(ROOT, 'tests', 'page', 'package.json'))('playwright-core');
const WINDOW = new RateMeter().window; // the page's tokens/s covers its last WINDOW steps

function usage(message) {
  console.error(`page.mjs: ${message}\nusage: node benches/page.mjs [--batch N] [--seq-len N] [--steps N] [--recompute] [--json]`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { batch: 4, seqLen: 128, steps: WINDOW + 2, recompute: false, json: false };
  const numbers = { '--batch': 'batch', '--seq-len': 'seqLen', '--steps': 'steps' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--recompute') opts.recompute = true;
    else if (a === '--json') opts.json = true;
    else if (a in numbers) {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) usage(`${a} needs a whole number of at least 1, not ${JSON.stringify(argv[i])}`);
      opts[numbers[a]] = v;
    } else usage(`unknown flag ${JSON.stringify(a)}`);
  }
  // The page's rate needs WINDOW steps after the first (which allocates and times the kernels).
  if (opts.steps < WINDOW + 1) usage(`--steps must be at least ${WINDOW + 1}: the page's rate is over its last ${WINDOW} steps, after the first`);
  return opts;
}

/** Plain text of `words` pseudo-random words (the same every run). */
function corpus(words) {
  const vocab = 'the a small model learns to write short stories about cats dogs rivers trees and the sea'.split(' ');
  const out = [];
  let x = 11;
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(vocab[x % vocab.length] + (i % 12 === 11 ? '.\n' : ' '));
  }
  return out.join('');
}

/** tools/serve.py on a free port. */
function serve() {
  const server = spawn('python3', [join(ROOT, 'tools', 'serve.py'), '--dir', join(ROOT, 'www'), '--port', '0', '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new Promise((res, rej) => {
    server.stdout.on('data', (d) => {
      const m = /on (http:\/\/\S+\/)/.exec(d.toString());
      if (m) res(m[1]);
    });
    server.on('exit', (code) => rej(new Error(`tools/serve.py exited with ${code}`)));
  });
  return { server, url };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  try {
    readFileSync(join(ROOT, 'www', 'pkg', 'webtune_bg.wasm'));
  } catch {
    usage('no www/pkg/webtune_bg.wasm: run `make pkg` first');
  }
  const { server, url } = serve();
  const flags = JSON.parse(readFileSync(join(ROOT, 'webdriver.json'), 'utf8'))['goog:chromeOptions'];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? flags.binary, args: flags.args });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e}`));
    page.setDefaultTimeout(1_800_000);
    await page.goto(await url);
    await page.waitForFunction(() => document.body.dataset.gpu, null, { timeout: 120_000 });
    const gpu = await page.locator('#gpu-status').innerText();
    if (await page.evaluate(() => document.body.dataset.gpu) !== 'ready') throw new Error(`WebGPU did not come up: ${gpu}`);
    // The page names its adapter only where the browser does; ask WebGPU for what it tells.
    const adapter = await page.evaluate(async () => {
      const info = (await navigator.gpu.requestAdapter())?.info;
      return info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' / ') : 'no adapter info';
    });
    await page.click('#demo');
    await page.waitForFunction(() => document.body.dataset.modelError !== undefined || document.body.dataset.model === 'loaded');
    if (await page.evaluate(() => document.body.dataset.modelError) !== undefined) {
      throw new Error(`the demo model did not load: ${await page.locator('#model-status').innerText()}`);
    }
    // Enough text for every step to take B x T fresh tokens within one epoch.
    await page.fill('#train-text', corpus(opts.batch * opts.seqLen * opts.steps));
    const settings = { steps: String(opts.steps), batch: String(opts.batch), seq_len: String(opts.seqLen), eval_percent: '0' };
    for (const [name, value] of Object.entries(settings)) await page.fill(`#settings [name=${name}]`, value);
    if (opts.recompute) await page.check('#settings [name=recompute]');
    else await page.uncheck('#settings [name=recompute]');
    const started = Date.now();
    await page.click('#start');
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.train));
    const state = await page.evaluate(() => document.body.dataset.train);
    if (state !== 'done') throw new Error(`training ended '${state}': ${await page.locator('#banner-text').innerText()}`);
    if (problems.length) throw new Error(problems.join('\n'));
    const shown = await page.locator('#stat-tps').innerText();
    const tokensPerSecond = Number(shown.replace(/[^0-9.]/g, ''));
    if (!(tokensPerSecond > 0)) throw new Error(`the page shows no tokens/s: ${JSON.stringify(shown)}`);
    const result = {
      model: 'demo (2 layers, width 64, 4 heads, vocab 50257)', batch: opts.batch, seq_len: opts.seqLen,
      recompute: opts.recompute, steps: opts.steps, tokens_per_second: tokensPerSecond,
      run_seconds: (Date.now() - started) / 1000, adapter,
    };
    if (opts.json) console.log(JSON.stringify(result));
    else {
      console.log(`page: demo model, B ${opts.batch} T ${opts.seqLen}${opts.recompute ? ', recompute' : ''}: ${tokensPerSecond} tokens/s over the last ${WINDOW} of ${opts.steps} steps (run ${result.run_seconds.toFixed(1)} s) [${adapter}]`);
    }
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((e) => {
  console.error(`page.mjs: ${e.message ?? e}`);
  process.exit(1);
});
