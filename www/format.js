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
