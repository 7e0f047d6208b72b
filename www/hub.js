// hub.js: files from the Hugging Face Hub, kept in this browser's Cache API. Each use begins with
// a HEAD of the file's resolve URL: a cached copy is used only while it matches the Hub's size
// and hash (a changed or damaged one is downloaded again), a download that breaks off resumes
// with an HTTP Range request instead of starting over, and before a large one the page asks for
// persistent storage and checks that the file fits: one that does not is still downloaded and
// used, uncached, and the progress line says why in sizes.
// No DOM: app.js shows what `progress` reports.
import { fmtBytes, fmtInt } from './format.js';

// The Hugging Face Hub; `?hub=/path` points downloads at this page's own server instead (the
// page test serves fixtures there: the CSP allows only the Hub and the page's origin anyway).
export const HUB = new URLSearchParams(location.search).get('hub')?.match(/^\/[\w/-]*$/)?.[0] ?? 'https://huggingface.co';
export const CACHE = 'webtune-hub-v1';

const LARGE = 50e6; // bytes: a download this large first asks for persistent storage and checks the quota
const TRIES = 5;    // attempts in a row that bring no new bytes before a download gives up
// A cached entry's headers keep the size and etag it was downloaded as, to compare with the Hub's.
const SIZE = 'x-webtune-size';
const ETAG = 'x-webtune-etag';
// Past the HTTP cache: the Cache API holds this page's one copy, and a HEAD must ask the Hub.
const FETCH = { cache: 'no-store' };
const STALE = 'changed on the Hub (or the cached copy is damaged): downloading it again';

let persistAsked = false; // navigator.storage.persist() is asked once per page load

/**
 * One Hub file as a Blob (null for a missing optional one): the cached copy while it matches the
 * Hub's, else downloaded (and cached). `progress(done, total, cached, note)` reports it; `note`
 * ('' when none) says what is unusual: why it is downloaded again, where it resumed, that it
 * could not be cached.
 */
export async function hubFile(repo, file, progress, optional = false) {
  const url = `${HUB}/${repo}/resolve/main/${file}`;
  const cache = 'caches' in self ? await caches.open(CACHE) : null;
  const hit = await cache?.match(url);
  let head;
  try {
    head = await fetch(url, { ...FETCH, method: 'HEAD' });
  } catch (e) {
    // Offline, or the Hub unreachable: a cached copy, unchecked, is the best there is.
    if (!hit) {
      // A missing optional file (tokenizer.json where vocab.json + merges.txt serve) is not cached.
      if (optional) return null;
      throw new Error(`${file} is not in this browser's cache, and the Hub cannot be reached (${e.message})`);
    }
    const blob = await hit.blob();
    progress(blob.size, blob.size, true, 'not checked for changes: the Hub cannot be reached');
    return blob;
  }
  if (optional && head.status === 404) {
    await cache?.delete(url);
    return null;
  }
  if (!head.ok) {
    // The Hub says why in X-Error-Message (a gated or private repo, a file not there).
    const why = head.headers.get('x-error-message');
    throw new Error(`${url}: HTTP ${head.status}${why ? ` (${why})` : ''}`);
  }
  const hub = describe(head.headers);
  const report = reporter(progress, hub.size);
  if (hit) {
    const blob = await hit.blob();
    if (matches(hit.headers, blob, hub)) {
      progress(blob.size, blob.size, true, '');
      return blob;
    }
    await cache.delete(url);
    report.note('stale', STALE);
  }
  const fits = hub.size >= LARGE ? await makeRoom(hub.size) : true;
  if (!fits) report.note('uncached', `not cached: ${roomWords(hub.size, await storageRoom())}`);
  const blob = await download(url, file, hub.size, report);
  if (cache && fits && !await keep(cache, url, blob, hub.etag)) {
    report.note('uncached', `not cached: ${roomWords(blob.size, await storageRoom())}`);
    report.bytes(blob.size);
  }
  return blob;
}

/**
 * The Hub's size (null when it gives none) and etag ('' when unreadable) of a file, from a HEAD.
 * X-Linked-Size and X-Linked-Etag describe an LFS file (its size and SHA-256), but the Hub
 * redirects an LFS file to its CDN and fetch follows, so the headers read here are the CDN's,
 * which usually lack them: Content-Length and ETag stand in, describing the same bytes. A weak
 * ETag (W/) marks a re-encoded body (the Hub gzips small text files for browsers), whose
 * Content-Length is not the file's size. A Content-Length of 0 (some servers' HEAD) says nothing.
 */
function describe(headers) {
  const weak = headers.get('etag')?.startsWith('W/');
  const size = Number(headers.get('x-linked-size') ?? (weak ? null : headers.get('content-length')));
  const etag = headers.get('x-linked-etag') ?? headers.get('etag') ?? '';
  return { size: Number.isSafeInteger(size) && size > 0 ? size : null, etag: etag.replace(/^W\//, '').replaceAll('"', '') };
}

/** A cached copy is good while it is whole (the size it was stored with) and still the Hub's file. */
function matches(stored, blob, hub) {
  const size = Number(stored.get(SIZE));
  return size === blob.size && (hub.size ?? size) === size && stored.get(ETAG) === hub.etag;
}

/** Progress of one download, `total` bytes (null: unknown), with its notes in the order they arose. */
function reporter(progress, total) {
  const notes = {};
  return {
    note(kind, words) { notes[kind] = words; },
    bytes(done) { progress(done, total ?? 0, false, Object.values(notes).filter(Boolean).join('; ')); },
  };
}

/**
 * Downloads `size` bytes (null: a size the Hub did not give), going on with `Range: bytes=N-`
 * when the body breaks off or ends short, and giving up after TRIES attempts in a row that bring
 * no new bytes. Only a file of known size resumes (its size is the one check on a file put
 * together from pieces); one the server answers with the whole file (200) starts over, and so
 * does one answered with a range this page cannot place.
 */
async function download(url, file, size, report) {
  const parts = [];
  let received = 0;
  let best = 0; // the most bytes any attempt reached
  let ranges = size !== null;
  let failure = null; // the last error, for the message when the download gives up
  let failures = 0;
  for (;;) {
    if (!ranges) { parts.length = 0; received = 0; }
    const from = received;
    const res = await fetch(url, from ? { ...FETCH, headers: { Range: `bytes=${from}-` } } : FETCH)
      .catch((e) => { failure = e; return null; }); // null: a network error, tried again below
    let ended = false; // the body was read to its end
    if (res && !res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    if (res && from && res.status === 206 && rangeStart(res) !== from) {
      // A range this page cannot place: the next try fetches the whole file.
      await res.body?.cancel();
      ranges = false;
    } else if (res) {
      // A 200 answer to a Range request is the whole file, in place of the pieces so far.
      if (from && res.status !== 206) { parts.length = 0; received = 0; }
      report.note('resumed', received ? `resumed at ${fmtBytes(received)}` : '');
      failure = await read(res.body, (chunk) => {
        parts.push(chunk);
        received += chunk.byteLength;
        report.bytes(received);
      });
      ended = !failure;
    }
    if (size === null ? ended : received >= size) break;
    failures = received > best ? 0 : failures + 1;
    best = Math.max(best, received);
    if (failures >= TRIES) {
      throw new Error(`${file}: ${TRIES} tries in a row brought no more of it (stopped at ${fmtBytes(received)} of ${fmtBytes(size ?? NaN)}: ${failure?.message ?? 'the body ended short'})`);
    }
    await new Promise((r) => setTimeout(r, 250 * 2 ** failures));
  }
  if (size !== null && received !== size) {
    throw new Error(`${file}: downloaded ${fmtInt(received)} bytes, but the Hub says it has ${fmtInt(size)}`);
  }
  // A Blob, which the browser may keep on disk when large; the worker reads it tensor by tensor.
  return new Blob(parts);
}

/** Where a 206 answer's bytes start (NaN when its Content-Range is missing or unreadable). */
function rangeStart(res) {
  return Number(/^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1] ?? NaN);
}

/** Reads a body to its end, passing on each chunk: null, or the error it broke off with. */
async function read(body, onChunk) {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return null;
      onChunk(value);
    }
  } catch (e) {
    return e;
  }
}

/**
 * Before a large download: asks, once, that this page's storage be kept when the disk runs low
 * (Chrome decides by its own rules, Firefox asks the user; the answer is not awaited, so an
 * unanswered prompt holds nothing up), and says whether the file fits in what the browser
 * allows. One that does not is still downloaded: the quota bounds the cache, not this session.
 */
async function makeRoom(size) {
  if (!persistAsked) {
    persistAsked = true;
    navigator.storage?.persist?.().catch(() => {});
  }
  const room = await storageRoom();
  return !room || room.free >= size;
}

/** What this page may still store, by the browser's estimate; null where it gives none. */
async function storageRoom() {
  const est = await navigator.storage?.estimate?.().catch(() => null);
  if (!est?.quota) return null;
  const usage = est.usage ?? 0;
  return { free: Math.max(est.quota - usage, 0), quota: est.quota, usage };
}

/** `size` bytes set against what the browser lets this page store (`room`; null: unknown), in words. */
function roomWords(size, room) {
  const allows = room
    ? `, and this browser lets this page store ${fmtBytes(room.free)} more (${fmtBytes(room.usage)} of ${fmtBytes(room.quota)} in use)`
    : '';
  return `it needs ${fmtBytes(size)}${allows}`;
}

/** Caches a download with the size and etag it came as; false when the browser's quota refuses it. */
async function keep(cache, url, blob, etag) {
  const headers = { 'content-type': 'application/octet-stream', [SIZE]: String(blob.size), [ETAG]: etag };
  try {
    await cache.put(url, new Response(blob, { headers }));
    return true;
  } catch (e) {
    if (e.name !== 'QuotaExceededError') throw e;
    return false;
  }
}
