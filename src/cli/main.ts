/**
 * The `async-inspector` command (dist/cli.js). Usage errors and programs that cannot start print one
 * clear line and exit 2; otherwise the exit code is the program's (see args.ts USAGE).
 */
import { version } from '../../package.json';
import { LaunchError } from '../inspection/launch';
import { USAGE, UsageError, parseArgs } from './args';
import { runProgram } from './run';
import { attachProgram } from './attach';
import { AttachError } from '../attach/target';

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.cmd) {
    case 'help':
      // Asked for: stdout, exit 0. Nothing given at all: a usage error.
      (parsed.toStderr ? process.stderr : process.stdout).write(USAGE + '\n');
      return parsed.toStderr ? 2 : 0;
    case 'version':
      process.stdout.write(`async-inspector ${version}\n`);
      return 0;
    case 'run':
      return runProgram(parsed.options, { cwd: process.cwd(), out: process.stdout, err: process.stderr, color: color() });
    case 'attach':
      return attachProgram(parsed.options, { cwd: process.cwd(), out: process.stdout, err: process.stderr, color: color() });
  }
}

function color(): boolean {
  return process.stderr.isTTY === true && !process.env.NO_COLOR;
}

function flushThenExit(code: number): void {
  // Exit explicitly: a grandchild of the program may still hold a pipe open, and that must not keep us alive.
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// A reader that went away (`| head`) is not an error of ours.
process.stdout.on('error', () => {});

main(process.argv.slice(2)).then(flushThenExit, (err: unknown) => {
  if (err instanceof UsageError || err instanceof LaunchError || err instanceof AttachError) {
    process.stderr.write(`async-inspector: ${err.message}\n`);
    if (err instanceof UsageError) process.stderr.write('Run "async-inspector --help" for usage.\n');
    flushThenExit(2);
    return;
  }
  const e = err as Error;
  process.stderr.write(`async-inspector: internal error: ${e?.stack ?? String(err)}\n`);
  flushThenExit(70);
});
