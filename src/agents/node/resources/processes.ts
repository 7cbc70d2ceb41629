/**
 * Child processes (kind 'io') and worker threads (kind 'executor'), each named by what it runs. A worker is
 * also told its label (thread.ts), so the agent inside it names its loop after it.
 */
import workerThreads = require('node:worker_threads');
import { guard, shielded } from '../guard';
import { State } from '../records';
import { labelNextWorker, scriptLabel, workerGone } from '../thread';
import { endResource, replace, setRunning, startResource } from './track';

type Emitter = { once(ev: string, fn: (...a: never[]) => void): unknown; pid?: number; threadId?: number };

/** exec calls execFile through module.exports: only the outermost call is a record. */
let depth = 0;

/** Loads child_process (in a worker, only once the program loads it: lazy-builtins.ts). */
export function installChildProcesses(): void {
  const childProcess: typeof import('node:child_process') = require('node:child_process');
  for (const name of ['spawn', 'exec', 'execFile', 'fork']) {
    replace(childProcess, name, (orig) => {
      const wrapped = function (this: unknown, file: unknown): unknown {
        if (guard.busy || depth > 0) return Reflect.apply(orig, this, arguments);
        depth++;
        let child: Emitter;
        try {
          child = Reflect.apply(orig, this, arguments) as Emitter;
        } finally {
          depth--;
        }
        shielded(`child_process.${name}`, () => trackChild(child, `child_process.${name} ${String(file).slice(0, 120)}`, wrapped));
        return child;
      };
      return wrapped;
    });
  }
}

export function installWorkers(): void {
  const Original = workerThreads.Worker;
  // A subclass keeps `instanceof Worker` true for the program's workers.
  class Worker extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      const labelled = guard.busy ? undefined : shielded('worker label', () => labelNextWorker(args[0], args[1]));
      try {
        super(...args);
      } finally {
        if (labelled) shielded('worker label', labelled);
      }
      // Read now: a Worker that exited reports threadId -1.
      const threadId = this.threadId;
      this.once('exit', () => shielded('worker gone', () => workerGone(threadId)));
      if (!guard.busy) shielded('worker', () => trackWorker(this, args[0], args[1], Worker));
    }
  }
  (workerThreads as { Worker: typeof Original }).Worker = Worker;
}

function trackChild(child: Emitter, name: string, skip: Function): void {
  const rec = startResource('io', name, skip);
  if (!rec) return;
  setRunning(rec, child.pid ? `pid ${child.pid}` : undefined);
  child.once('close', (code: number | null, signal: string | null) => {
    shielded('child_process end', () => endResource(rec, code === 0 ? State.Done : State.Failed, undefined, signal ? `signal ${signal}` : `exit ${code}`));
  });
}

function trackWorker(worker: Emitter, file: unknown, options: unknown, skip: Function): void {
  const rec = startResource('executor', `Worker ${scriptLabel(file, options)}`, skip);
  if (!rec) return;
  worker.once('online', () => shielded('worker online', () => setRunning(rec, `worker ${worker.threadId ?? ''}`)));
  worker.once('exit', (code: number) => shielded('worker end', () => endResource(rec, code === 0 ? State.Done : State.Failed, undefined, `exit ${code}`)));
}
