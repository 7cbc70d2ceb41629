// An ES module with top-level await: fs/promises reads and a small pipeline of async stages.
import { readFile, readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

async function parse(file) {
  const text = await readFile(new URL(file, import.meta.url), 'utf8');
  await sleep(10); // pretend parsing takes a while
  return { file, lines: text.split('\n').length };
}

async function summarize(files) {
  const parsed = await Promise.all(files.map(parse));
  return parsed.map((p) => `${p.file}: ${p.lines} lines`).join('\n');
}

const files = (await readdir(new URL('.', import.meta.url))).filter((f) => f.endsWith('.js'));
console.log(await summarize(files));
