/**
 * The V8 runtime function the agent needs (a promise's status, without touching the promise), compiled once
 * with natives syntax switched on for it and off again (unless the program itself runs with
 * --allow-natives-syntax). Without it (flags frozen, another engine) outcomes read as fulfilled.
 */
import { setFlagsFromString } from 'node:v8';

interface Natives {
  /** 0 pending, 1 fulfilled, 2 rejected. */
  promiseStatus(p: Promise<unknown>): number;
}

function compile(): Natives {
  const userHasNatives = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('allow-natives-syntax'));
  try {
    setFlagsFromString('--allow-natives-syntax');
    return { promiseStatus: new Function('p', 'return %PromiseStatus(p)') as Natives['promiseStatus'] };
  } catch {
    return { promiseStatus: () => 1 };
  } finally {
    if (!userHasNatives) setFlagsFromString('--no-allow-natives-syntax');
  }
}

export const natives = compile();
