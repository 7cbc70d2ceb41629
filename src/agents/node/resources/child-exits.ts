/**
 * How each child process of this one ended, as its 'exit' event says (the parent's wait): an `exited` event with
 * its status (128 + the signal's number when a signal killed it). A traced child's own bye cannot say it when it
 * is killed from outside (`kill -9`); the model takes the parent's word for it. Every ChildProcess goes through
 * `ChildProcess.prototype.spawn` (spawn, exec, fork, cluster workers, whatever module reference made it).
 */
import { constants } from 'node:os';
import { clock } from '../clock';
import { shielded } from '../guard';
import type { Publisher } from '../publisher';

type Child = { pid?: number; once(ev: 'exit', fn: (code: number | null, signal: NodeJS.Signals | null) => void): unknown };

export function installChildExits(publisher: Publisher): void {
  const { ChildProcess } = require('node:child_process') as typeof import('node:child_process');
  const proto = ChildProcess.prototype as unknown as { spawn: (...args: unknown[]) => unknown };
  const spawn = proto.spawn;
  proto.spawn = function (this: Child, ...args: unknown[]): unknown {
    const result = Reflect.apply(spawn, this, args);
    shielded('child exit', () => {
      const pid = this.pid;
      if (typeof pid !== 'number') return; // it did not start: no process
      this.once('exit', (code, signal) => shielded('child exit', () => {
        const status = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null);
        if (status !== null) publisher.note({ e: 'exited', pid, code: status, t: clock.now() });
      }));
    });
    return result;
  };
}
