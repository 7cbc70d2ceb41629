// Sums a .cpuprofile's samples by script and by function (self time), to compare where a traced and an
// untraced run spend their time: node bench/node/profile-summary.mjs file.cpuprofile [top=30]
// Counts samples (not timeDeltas, which on a loaded machine include time the process was descheduled).
import { readFileSync } from 'node:fs';

const [file, top = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const byScript = new Map();
const byFunction = new Map();
let busy = 0;
for (const node of profile.nodes) {
  const n = hits.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  if (n === 0 || functionName === '(idle)') continue;
  busy += n;
  const script = url.startsWith('node:') ? url.split('/').slice(0, 2).join('/') : url.replace(/^.*\//, '') || '(native)';
  byScript.set(script, (byScript.get(script) ?? 0) + n);
  const fn = `${functionName || '(anonymous)'} ${script}:${lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + n);
}
const ms = (n) => ((n * interval) / 1000).toFixed(1).padStart(8);
const show = (title, map, count) => {
  console.log(`--- ${title}`);
  for (const [k, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${ms(n)} ms ${((100 * n) / busy).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`busy ${ms(busy).trim()} ms in ${busy} samples`);
show('by script', byScript, 15);
show('by function', byFunction, Number(top));
