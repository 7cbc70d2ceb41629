/**
 * Storm mode (promises.ts switches to it once the capture budget is spent, and back at the next flush that
 * refills it): only a light init hook, which counts root promises under the task's unsampled marker (for the
 * rollup), stamps reactions with the storm's task while it runs, consumes never-awaited suspects, and lets the
 * scouts (storm-scouts.ts) give the program's async functions started in a storm a record with their await line.
 */
import { api, owner } from './context';
import { budget, Top } from './frames';
import { fault, FAULTS } from './faults';
import { agentError, guard } from './guard';
import { consumed, suspicion } from './flags/never-awaited';
import { asyncFnRecord, builtinRecord, sampledRecord, setAwait } from './promise-records';
import type { Publisher } from './publisher';
import { bareName, siteFunction } from './sites';
import { scoutAwait, scoutMadeBy, scoutRoot, scouts, watchAwait } from './storm-scouts';
import type { TaskKind } from '../../protocol/events';
import { addRecord, addResumes, type Rec, RecordBit, recordOf, State, unsampledApiMarker, unsampledMarker } from './records';

type Tracked = Promise<unknown>;

const PromiseProto = Promise.prototype;
const getProto = Object.getPrototypeOf;

let publisher: Publisher;
export function setStormPublisher(pub: Publisher): void {
  publisher = pub;
}

/** `on` while the storm hook is installed; `owner`: the task running when it began (until that task ends). */
export const storm = { on: false, marker: null as Rec | null, owner: null as Rec | null };

export function beginStorm(o: Rec | null): void {
  storm.on = true;
  storm.owner = o;
  storm.marker = unsampledMarker(o);
}

/**
 * Roots are counted under the storm's marker as they are made, and carry nothing (no field to add now, and
 * nothing for the settled hook to look at later: ~half of a storm's promises, e.g. a busy server's handlers).
 * Reactions get the task that was running when the storm began, so that task is still itself when it resumes
 * after the storm, and consume a suspect.
 */
export function stormInit(promise: Tracked, parentPromise: Tracked | undefined): void {
  if (api.depth !== 0 || guard.busy || getProto(promise) !== PromiseProto) return;
  try {
    if (FAULTS) fault('promise init');
    stormPromise(promise, parentPromise, stormInit);
  } catch (err) {
    agentError('promise init', err);
  }
}

/** `hook`: the promise hook running (the agent's frames end there). */
export function stormPromise(promise: Tracked, parentPromise: Tracked | undefined, hook: Function): void {
  if (parentPromise === undefined) {
    if (scouts.awaiting !== null && madeByScouted(promise, hook)) return;
    if (scouts.left > 0 && scouted(promise, hook)) return;
    publisher.countUnsampled(storm.marker as Rec, false);
    return;
  }
  // A reaction on a never-awaited suspect still consumes it (`async (id) => findUser(id)` under load: the
  // outer promise's `then` on the returned one comes in a storm), or it would be flagged for nothing.
  if ((suspicion.open | suspicion.groups) !== 0) {
    const on = recordOf(parentPromise);
    if (on !== undefined && (on.flags & RecordBit.Suspect) !== 0) consumed(on, publisher);
  }
  if (scouts.awaiting !== null && scoutedAwait(promise, parentPromise, hook)) return;
  if (storm.owner !== null) {
    // Until it ends: a long loop of awaits keeps its task; a busy server's storm starts in one short
    // request's handler, and stamping every later reaction with it would cost a field per promise for nothing.
    if (storm.owner.state >= State.Done) storm.owner = null;
    else addResumes(promise, storm.owner);
  }
}

/** A root promise in a storm: a program's async function the scouts found gets a record (no suspect, no segment). */
function scouted(promise: Tracked, hook: Function): boolean {
  const cap = scoutRoot(hook);
  if (cap === null) return false;
  const caller = cap.callerSite === null ? undefined : siteFunction(cap.callerSite);
  const o = storm.owner;
  const parent = o !== null && caller !== undefined && bareName(caller) === bareName(o.name) ? o : null;
  const r = asyncFnRecord(parent, cap);
  addRecord(promise, r);
  watchAwait(r);
  return true;
}

/** A promise a function the scouts found made before its first await (what it awaits, most often). */
function madeByScouted(promise: Tracked, hook: Function): boolean {
  const r = scouts.awaiting as Rec;
  const cap = scoutMadeBy(hook);
  if (cap === null) return false;
  addRecord(promise, cap.top === Top.Builtin ? builtinRecord(r, cap) : asyncFnRecord(r, cap));
  return true;
}

/** The await of a function the scouts found: its await line, and its throwaway resumes it after the storm. */
function scoutedAwait(promise: Tracked, parentPromise: Tracked, hook: Function): boolean {
  const r = scouts.awaiting as Rec;
  const cap = scoutAwait(hook);
  if (cap === null) return false;
  setAwait(r, sampledRecord(parentPromise), cap.topSite);
  addResumes(promise, r);
  return true;
}

/** The capture budget is spent and relations are off: work started now is counted, not recorded. */
export function inStorm(): boolean {
  return storm.on && budget.tokens < 1;
}

/**
 * During a storm (the capture budget is spent, relations are off), a Node API call (resources/promise-apis.ts)
 * is counted under its name instead of getting a record: true when it was.
 */
export function countedInStorm(kind: TaskKind, name: string): boolean {
  if (!inStorm()) return false;
  try {
    publisher.countUnsampled(unsampledApiMarker(owner(), kind, name), false);
    return true;
  } catch (err) {
    agentError(name, err);
    return false;
  }
}
