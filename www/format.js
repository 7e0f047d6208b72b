// format.js: numbers as the page shows them, shared by app.js and hub.js (whose messages name
// sizes). A plain ES module with no imports and no browser APIs.

export const fmtBytes = (n) => {
  if (!Number.isFinite(n)) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
};
export const fmtInt = (n) => n.toLocaleString('en');
export const fmtTime = (s) => {
  if (!Number.isFinite(s)) return '–';
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}h ${m}m` : m ? `${m}m ${sec}s` : `${sec}s`;
};

/** Tokens/s and time left over a run's last `window` steps, not from its start: the first step
 * also allocates the run's buffers and times the kernels (the autotuner), which would weigh on
 * the figures for the rest of a short run. Feed it each step's totals so far. */
export class RateMeter {
  constructor(window = 10) {
    this.window = window;
    this.recent = []; // [seconds, tokens] after each of the latest window + 1 steps
  }

  /** After a step: the run's step count, total steps, seconds and tokens so far. Returns
   * {tokensPerSecond, secondsLeft}, each null while there is nothing to measure yet. */
  step({ step, total, elapsed, tokens }) {
    this.recent.push([elapsed, tokens]);
    if (this.recent.length > this.window + 1) this.recent.shift();
    // With one step behind us there is nothing to leave out yet: the run's start is the origin.
    const [e0, t0] = this.recent.length > 1 ? this.recent[0] : [0, 0];
    const steps = this.recent.length > 1 ? this.recent.length - 1 : step;
    const seconds = elapsed - e0;
    if (!(seconds > 0)) return { tokensPerSecond: null, secondsLeft: null };
    return { tokensPerSecond: (tokens - t0) / seconds, secondsLeft: (total - step) * seconds / steps };
  }
}
