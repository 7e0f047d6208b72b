// app.js: the page's UI thread. It only renders what worker.js reports.

const $ = (id) => document.getElementById(id);

const MESSAGES = {
  'no-webgpu': 'This browser has no WebGPU, which webtune needs to use your GPU. It is on by default in Chrome and Edge 113+ (Windows, macOS, ChromeOS, Android), Safari 26+, and Firefox 141+ on Windows. On Linux, Chrome needs chrome://flags/#enable-unsafe-webgpu.',
  'no-adapter': 'WebGPU is present, but the browser gave no GPU adapter (it may be blocklisted, or hardware acceleration is off).',
  'limits-too-small': 'Your GPU adapter is too small for webtune:',
  'request-device': 'The browser refused to open the GPU device:',
  'load': 'The page could not load its WebAssembly package (run `make serve`, which builds it).',
};

function setStatus(text, cls) {
  const el = $('gpu-status');
  el.textContent = text;
  el.className = `status ${cls}`;
}

function showReport(r) {
  setStatus(r.name ? `WebGPU is available: ${r.name}` : 'WebGPU is available.', 'ok');
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
    const tr = body.insertRow();
    tr.insertCell().textContent = name;
    const td = tr.insertCell(); td.textContent = value.toLocaleString('en'); td.className = 'num';
  }
  $('gpu-limits-box').hidden = false;
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onerror = (e) => setStatus(`${MESSAGES.load} (${e.message})`, 'error');
worker.onmessage = ({ data }) => {
  switch (data.status) {
    case 'ready':
      $('version').textContent = `webtune ${data.version}`;
      worker.postMessage({ cmd: 'info' });
      break;
    case 'info':
      showReport(data.report);
      document.body.dataset.state = 'ready';
      break;
    case 'error': {
      const known = MESSAGES[data.kind];
      setStatus(known ? (known.endsWith(':') ? `${known} ${data.message}` : known) : data.message, 'error');
      document.body.dataset.state = 'error';
      break;
    }
  }
};
