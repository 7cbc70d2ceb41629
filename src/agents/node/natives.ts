/**
 * The two V8 runtime functions the agent needs, compiled once with natives syntax switched on for them and off
 * again (unless the program itself runs with --allow-natives-syntax): a promise's status, and private symbols.
 * Without them (flags frozen, another engine) the agent still works: outcomes read as fulfilled, and records
 * sit in ordinary symbol properties, which the program could see.
 */
import { setFlagsFromString } from 'node:v8';

interface Natives {
  /** 0 pending, 1 fulfilled, 2 rejected. */
  promiseStatus(p: Promise<unknown>): number;
  /** A symbol whose properties are invisible to the program (no inspect, no reflection, no proxy traps). */
  privateSymbol(name: string): symbol;
}

function compile(): Natives {
  const userHasNatives = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('allow-natives-syntax'));
  try {
    setFlagsFromString('--allow-natives-syntax');
    return {
      promiseStatus: new Function('p', 'return %PromiseStatus(p)') as Natives['promiseStatus'],
      privateSymbol: new Function('name', 'return %CreatePrivateSymbol(name)') as Natives['privateSymbol'],
    };
  } catch {
    return { promiseStatus: () => 1, privateSymbol: (name) => Symbol(name) };
  } finally {
    if (!userHasNatives) setFlagsFromString('--no-allow-natives-syntax');
  }
}

export const natives = compile();
