/** File system work: callback functions of `fs` (the callback ends the record) and `fs.promises`. */
import fs = require('node:fs');
import { guard, shielded } from '../guard';
import { State } from '../records';
import { wrapPromiseApis } from './promise-apis';
import { endResource, replace, runAs, startResource } from './track';

const CALLBACK_APIS = [
  'access', 'appendFile', 'chmod', 'chown', 'close', 'copyFile', 'cp', 'fstat', 'fsync', 'ftruncate', 'lstat',
  'mkdir', 'mkdtemp', 'open', 'opendir', 'read', 'readdir', 'readFile', 'readlink', 'readv', 'realpath', 'rename',
  'rm', 'rmdir', 'stat', 'statfs', 'symlink', 'truncate', 'unlink', 'utimes', 'write', 'writeFile', 'writev',
];

export function installFs(): void {
  for (const name of CALLBACK_APIS) replace(fs, name, (orig) => wrapCallbackApi(orig, `fs.${name}`));
  wrapPromiseApis(fs.promises, 'fs.promises', 'io');
}

function wrapCallbackApi(orig: Function, label: string): Function {
  const wrapped = function (this: unknown): unknown {
    const last = arguments.length - 1;
    const callback = arguments[last] as unknown;
    if (guard.busy || typeof callback !== 'function') return Reflect.apply(orig, this, arguments);
    const rec = shielded(label, () => startResource('io', label, wrapped));
    if (!rec) return Reflect.apply(orig, this, arguments);
    const args = Array.prototype.slice.call(arguments);
    args[last] = function (this: unknown, err: unknown): unknown {
      endResource(rec, err ? State.Failed : State.Done, err || undefined);
      return runAs(rec, callback as (...a: unknown[]) => unknown, this, arguments);
    };
    return Reflect.apply(orig, this, args);
  };
  return wrapped;
}
