// Start-up cost of a traced child process (Node): the program forks 20 children one after another, run
// through the CLI with its children traced and with --no-children, in alternating rounds. A traced child
// loads the agent, connects, says hello, and at exit flushes and says bye. Usage: node bench/node/children-ab.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const rounds = Number(process.argv[2]) || 5;
const program = join(root, 'bench/node/fork-children.js');
const run = (extra) => {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'run', ...extra, '--', 'node', program, '20'], { encoding: 'utf8' });
  const line = /CHILD_MS (.*)/.exec(r.stdout)?.[1];
  if (!line) throw new Error(`no figure: ${r.stdout}\n${r.stderr}`);
  return JSON.parse(line).median;
};
const traced = [];
const untraced = [];
for (let i = 0; i < rounds; i++) {
  traced.push(run([]));
  untraced.push(run(['--no-children']));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log('| child process (fork → exit, median of 20, median of rounds) | ms |');
console.log('|---|---|');
console.log(`| untraced (--no-children) | ${median(untraced).toFixed(1)} |`);
console.log(`| traced | ${median(traced).toFixed(1)} |`);
console.log(`| start-up cost per traced child | ${(median(traced) - median(untraced)).toFixed(1)} |`);
