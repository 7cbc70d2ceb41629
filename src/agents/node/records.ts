/**
 * One record per tracked thing (promise, timer, request ...). Records live on the traced object (a symbol
 * property) and in the publisher's lists until they are sent or rolled up. All fields are set in the
 * constructor so V8 keeps one hidden class: this is on the hottest path of the agent.
 */
import type { AttachOrigin, TaskKind } from '../../protocol/events';

export const enum State { Pending = 0, Running = 1, Done = 2, Failed = 3, Cancelled = 4 }

/** Bits of a record's `flags` word (its own bookkeeping; not the flags users see). */
export const enum RecordBit {
  /** Node-internal work (or inside an opaque API call): never shown. */
  Internal = 2,
  Published = 8,
  /** Held by the publisher's fresh list (published or rolled up at a flush). */
  InFresh = 16,
  Dirty = 32,
  EndSent = 64,
  /** An async function entry pushed on the context's segment stack. */
  AsyncFn = 128,
  /** The shared marker of a task's unsampled child promises (counted, then rolled up; never shown). */
  Unsampled = 256,
  /** Internal work whose continuations stay internal (inside a Node API named by its promise). */
  Contagious = 512,
  /** Renamed after it was published: send a `name` event. */
  Renamed = 1024,
  /** An async function's promise started inside another async function: a never-awaited suspect. */
  Suspect = 2048,
  /** Something awaited, then'd, caught or combined it. */
  Consumed = 4096,
  /** A never-awaited finding was sent for it (retracted if it is consumed later). */
  Flagged = 8192,
  /** Counted in a rollup instead of published: an await on it is not worth publishing it for. */
  RolledUp = 16384,
  /** Already counted in its shape's allowance when it was made (shape-allowance.ts): shown one by one. */
  Allowed = 32768,
}

/**
 * Traced objects carry their record in a private class field added to them (a base constructor that returns
 * its argument lets a subclass install fields on any object). Unlike a symbol property it is invisible to the
 * program: console.log, util.inspect, Object.getOwnPropertySymbols and Reflect.ownKeys never show it (with a
 * symbol, `console.log(promise)` printed the agent's record). Adding it to a new promise costs ~10% more
 * than a symbol store on the hottest path (3M awaits: 430 → 470 ms); V8's private symbols cost 25% more,
 * Object.defineProperty 4x. `add` is for objects seen for the first time (a promise in its init hook): it
 * skips the presence check, which costs another 10%.
 */
class Stamp {
  constructor(target: object) {
    return target;
  }
}

/** The record of a promise, timer, socket or request. */
class RecordSlot extends Stamp {
  #rec: Rec;
  private constructor(target: object, rec: Rec) {
    super(target);
    this.#rec = rec;
  }
  static get(o: object): Rec | undefined {
    return #rec in o ? (o as RecordSlot).#rec : undefined;
  }
  static set(o: object, rec: Rec): void {
    if (#rec in o) (o as RecordSlot).#rec = rec;
    else new RecordSlot(o, rec);
  }
  static add(fresh: object, rec: Rec): void {
    new RecordSlot(fresh, rec);
  }
}

/**
 * On hidden promises (await throwaways, wrappers, combinator reactions) instead of a record: the task their
 * reaction resumes (or null). Storing the owner costs no allocation, and these are half of all promises.
 * A hidden promise that is the parent of another one is an `await nonPromise` wrapper (nothing else can be).
 */
class ResumesSlot extends Stamp {
  #task: Rec | null;
  private constructor(target: object, task: Rec | null) {
    super(target);
    this.#task = task;
  }
  static get(o: object): Rec | null | undefined {
    return #task in o ? (o as ResumesSlot).#task : undefined;
  }
  /** Once per promise, at its init. */
  static add(fresh: object, task: Rec | null): void {
    new ResumesSlot(fresh, task);
  }
}

export const recordOf = RecordSlot.get;
export const setRecord = RecordSlot.set;
/** For a promise in its init hook only (a second add on one object throws). */
export const addRecord = RecordSlot.add;
export const resumesOf = ResumesSlot.get;
export const addResumes = ResumesSlot.add;

/** Fields only shown or published records need (allocated on first use, keeping hot records small). */
export class Detail {
  stack: number[] | null = null;
  /** Found at attach (it existed before the agent was loaded). */
  attach: AttachOrigin | null = null;
  awaitSite: number | null = null;
  awaitT = 0;
  sentAwaitVer = 0;
  sentState: State = State.Pending;
  thread: string | null = null;
  error: { type: string; message: string; stack?: number[] } | null = null;
  result: string | null = null;
  /** On an Unsampled marker: children that settled since the last flush. */
  rollCount = 0;
  rollFailed = 0;
  /** The marker standing for this task's unsampled children. */
  unsampled: Rec | null = null;
  /** Markers counting the Node API promises (by name) this task made in storms. */
  apiMarkers: Map<string, Rec> | null = null;
  /** On an accepted connection: the served requests on it not finished yet (cancelled if it closes). */
  inFlight: Rec[] | null = null;
  /** On an accepted connection: its request in flight that has no record yet (a storm's), since when. */
  unrecorded: object | null = null;
  unrecordedT0 = 0;
  /** In the list of connections to look at the next flush (resources/served-requests.ts). */
  unrecordedListed = false;
  /** When its last running slice (`step`) sent ended (a stall's slice is then not sent twice). */
  lastStepEnd = -1;
}

export class Rec {
  name: string | null;
  /** The name rollups group it under when its own is unique (a URL, a port): 'HTTP server GET'. */
  family: string | null = null;
  /** Computes the full name when it is published (most short-lived records are only rolled up). */
  nameFn: (() => string) | null = null;
  site: number | null = null;
  flags: number;
  state: State = State.Pending;
  t0: number;
  t1 = 0;
  /** What it waits on now, and a version bumped at each change. */
  awaitOn: Rec[] | null = null;
  awaitVer = 0;
  /** Its index in the publisher's fresh list while it is there (InFresh). */
  freshAt = -1;
  private detail: Detail | null = null;

  constructor(
    readonly id: number,
    readonly kind: TaskKind,
    name: string | null,
    /** Who started it (the running task/callback when it was created). */
    public parent: Rec | null,
    /** For INTERNAL only: itself (its reactions resume internal work). */
    public owner: Rec | null,
    flags: number,
    t0: number,
  ) {
    this.name = name;
    this.flags = flags;
    this.t0 = t0;
  }

  get more(): Detail {
    return this.detail ?? (this.detail = new Detail());
  }
}

let nextId = 0;
export function newId(): number {
  return ++nextId;
}

/**
 * Marker record for Node-internal promises (shared: they are never published). Code they resume runs as
 * no task: the ES module loader is internal, yet the module body it runs is the program's.
 */
export const INTERNAL = new Rec(0, 'promise', null, null, null, RecordBit.Internal, 0);
/** Promises made inside an API call named by its own promise (fs.promises.readFile ...): all internal. */
export const API_INTERNAL = new Rec(0, 'promise', null, null, null, RecordBit.Internal | RecordBit.Contagious, 0);

const orphans = new Rec(0, 'promise', null, null, null, RecordBit.Unsampled, 0);

/**
 * Storm promises (beyond the stack-capture budget) carry their creator's shared marker instead of a record
 * of their own: no allocation per promise (all100k's budget is 2× and a symbol store alone costs 1.95×).
 */
export function unsampledMarker(creator: Rec | null): Rec {
  if (creator === null) return orphans;
  const more = creator.more;
  return more.unsampled ?? (more.unsampled = new Rec(0, 'promise', null, creator, null, RecordBit.Unsampled, 0));
}

const orphanApiMarkers = new Map<string, Rec>();

/**
 * The marker counting a storm's calls of one Node API (`timers/promises.setImmediate` ...) made by `creator`:
 * rolled up by that name, like the storm's own promises, instead of a record per call (a busy server's
 * handler calls them per request).
 */
export function unsampledApiMarker(creator: Rec | null, kind: TaskKind, name: string): Rec {
  const markers = creator === null ? orphanApiMarkers : (creator.more.apiMarkers ??= new Map());
  let m = markers.get(name);
  if (m === undefined) markers.set(name, (m = new Rec(0, kind, name, creator, null, RecordBit.Unsampled, 0)));
  return m;
}

export function isEnded(r: Rec): boolean {
  return r.state >= State.Done;
}
