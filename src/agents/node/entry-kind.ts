/**
 * Whether a worker's entry script is CommonJS: then every builtin it loads goes through require(), which
 * lets the agent patch heavy builtins only when they are loaded (resources/lazy-builtins.ts). An ES module's
 * imports go through no hook, so for those (and anything unsure) the agent patches everything at start.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

export function isCommonJsEntry(entry: string | undefined, evaluated: boolean): boolean {
  if (evaluated) return true; // `eval: true` code is a CommonJS script
  if (entry === undefined || !isAbsolute(entry)) return false; // a data: URL, or not told
  if (entry.endsWith('.cjs')) return true;
  if (!entry.endsWith('.js')) return false; // .mjs, or a loader's own extension
  return packageType(dirname(entry)) !== 'module';
}

/** The "type" of the nearest package.json above `dir`, as Node decides a .js file's module system. */
function packageType(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    let text: string | undefined;
    try {
      text = readFileSync(join(d, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        const type = (JSON.parse(text) as { type?: unknown }).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        return 'unknown'; // unreadable: do not guess CommonJS
      }
    }
    if (dirname(d) === d) return undefined;
  }
}
