/**
 * Whether a settled promise was fulfilled or rejected. JS has no API for it; V8's %PromiseStatus does,
 * compiled once with natives syntax switched on for that one function and off again (unless the program
 * itself runs with --allow-natives-syntax). Rejection reasons come from util.inspect, only for promises
 * that will be shown (rare).
 */
import { inspect } from 'node:util';
import { setFlagsFromString } from 'node:v8';

type StatusFn = (p: Promise<unknown>) => number;

function compileStatus(): StatusFn {
  const userHasNatives = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('allow-natives-syntax'));
  try {
    setFlagsFromString('--allow-natives-syntax');
    return new Function('p', 'return %PromiseStatus(p)') as StatusFn;
  } catch {
    return () => 1;
  } finally {
    if (!userHasNatives) setFlagsFromString('--no-allow-natives-syntax');
  }
}

/** 0 pending, 1 fulfilled, 2 rejected. */
export const promiseStatus: StatusFn = compileStatus();

export function rejectionOf(p: Promise<unknown>): { type: string; message: string } {
  try {
    const text = inspect(p, { depth: 0, customInspect: false, getters: false, breakLength: Infinity });
    const m = /<rejected> ([^\n]*)/.exec(text);
    const line = m ? m[1] : 'rejected';
    const named = /^([A-Za-z_$][\w$]*): (.*)$/.exec(line);
    return named ? { type: named[1], message: named[2] } : { type: 'rejection', message: line.slice(0, 500) };
  } catch {
    return { type: 'rejection', message: '' };
  }
}
