/**
 * In a worker thread whose entry is CommonJS, the patches of heavy builtins wait until the program loads
 * them. Each worker is a fresh isolate: loading http, https, zlib, dns and child_process there only to
 * patch them cost ~7 ms of the ~14 ms the agent added to a worker's start-up, for workers that mostly
 * never use them.
 *
 * A `require()` of one of them installs its patches just before the program gets the module, so nothing
 * is missed. A dynamic `import()` of a builtin goes through no hook: it is noticed at the next flush
 * (process.moduleLoadList) and patched then, the ES modules' named imports following
 * (syncBuiltinESMExports); calls made before that are not traced. ES module workers and the main thread
 * patch everything at once.
 */
import Module = require('node:module');
import { shielded } from '../guard';

interface Pending {
  ids: readonly string[];
  where: string;
  install: () => void;
}

const pending: Pending[] = [];
let hooked = false;
let lazy = false;

/** Patch heavy builtins only once loaded: for a worker whose entry is CommonJS (thread.ts). */
export function patchBuiltinsWhenLoaded(enabled: boolean): void {
  lazy = enabled;
}

/** Runs `install` now; in a CommonJS worker, once the program loads one of `ids`. */
export function whenLoaded(ids: readonly string[], where: string, install: () => void): void {
  if (!lazy || ids.some(isLoaded)) {
    shielded(where, install);
    return;
  }
  pending.push({ ids, where, install });
  hookRequire();
}

/** Patches what the program loaded without require() (ES module imports); true when something was. */
export function installLoaded(): boolean {
  if (pending.length === 0) return false;
  let any = false;
  for (const p of pending.slice()) {
    if (!p.ids.some(isLoaded)) continue;
    run(p);
    any = true;
  }
  if (any) shielded('install esm exports', () => Module.syncBuiltinESMExports());
  return any;
}

function run(p: Pending): void {
  const i = pending.indexOf(p);
  if (i < 0) return;
  pending.splice(i, 1);
  shielded(p.where, p.install);
}

function hookRequire(): void {
  if (hooked) return;
  hooked = true;
  const internal = Module as unknown as { _load: (request: unknown, ...rest: unknown[]) => unknown };
  const load = internal._load;
  internal._load = function (this: unknown, request: unknown): unknown {
    if (pending.length > 0 && typeof request === 'string') {
      const id = request.startsWith('node:') ? request.slice(5) : request;
      for (const p of pending.slice()) if (p.ids.includes(id)) run(p);
    }
    return Reflect.apply(load, this, arguments);
  };
}

function isLoaded(id: string): boolean {
  const list = (process as { moduleLoadList?: readonly string[] }).moduleLoadList;
  return Array.isArray(list) && list.includes(`NativeModule ${id}`);
}
