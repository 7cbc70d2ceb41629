/**
 * Shared by every resource tracker: start a record for a timer / request / file operation / process,
 * run its callbacks as that record (so promises made inside are its children), end it.
 */
import { stackTexts, withAbortCall } from '../abort-call';
import type { TaskKind } from '../../../protocol/events';
import { clock } from '../clock';
import { enter, leave, owner } from '../context';
import { endedBy, errorInfo } from '../error-info';
import { capture } from '../frames';
import type { Publisher } from '../publisher';
import { RecordBit, isEnded, newId, Rec, State } from '../records';

let publisher: Publisher;
export function setPublisher(p: Publisher): void {
  publisher = p;
}

/** A traced object other than a promise (its record is in a private field: see records.ts). */
export type Handle = object;

/**
 * A new resource started by the running code. `skip` is the agent wrapper the user called (its frames and
 * those above are left out of the site). Null when Node internals made it (not the program's own work).
 */
export function startResource(kind: TaskKind, name: string, skip: Function, flags = 0, family: string | null = null): Rec | null {
  const o = owner();
  if (o !== null && (o.flags & RecordBit.Contagious) !== 0) return null;
  const cap = capture(skip, 30);
  if (cap !== null && cap.stack.length === 0) return null;
  const r = new Rec(newId(), kind, name, o, null, flags, clock.now());
  r.family = family;
  if (cap !== null) {
    r.site = cap.stack[0];
    if (cap.stack.length > 1) r.more.stack = cap.stack;
  }
  publisher.add(r);
  return r;
}

/**
 * A resource whose creator is not the running code (an incoming request): no site, no parent. Named by
 * `family` until published, then by `nameFn()` (costly names are only built for what is shown).
 */
export function startIncoming(kind: TaskKind, family: string, nameFn: (() => string) | null, t0 = clock.now()): Rec {
  const r = new Rec(newId(), kind, family, null, null, 0, t0);
  r.family = family;
  r.nameFn = nameFn;
  publisher.add(r);
  return r;
}

/** Something without a record ended: see Publisher.endedUnrecorded. */
export function endedUnrecorded(kind: TaskKind, family: string, site: number | null, ms: number, state: State): boolean {
  return publisher.endedUnrecorded(kind, family, site, ms, state);
}

/** `fn` runs at the start of each flush (see Publisher.beforeFlush). */
export function beforeFlush(fn: (all: boolean) => void): void {
  publisher.beforeFlush(fn);
}

/** Builds a lazy name now (its source is about to go away). */
export function nameNow(r: Rec): void {
  const fn = r.nameFn;
  if (fn === null) return;
  r.nameFn = null;
  r.name = fn();
}

/** A better name became known (a socket's address once connected). */
export function rename(r: Rec, name: string): void {
  if (r.name === name) return;
  r.name = name;
  r.nameFn = null;
  r.flags |= RecordBit.Renamed;
  publisher.touch(r);
}

export function setRunning(r: Rec, thread?: string): void {
  if (isEnded(r)) return;
  r.state = State.Running;
  if (thread) r.more.thread = thread;
  publisher.touch(r);
}

export function endResource(r: Rec, state: State.Done | State.Failed | State.Cancelled, error?: unknown, result?: string): void {
  if (isEnded(r)) return;
  r.t1 = clock.now();
  if (error !== undefined && error !== null) {
    const info = errorInfo(error);
    const cancelled = endedBy(info) === 'cancelled';
    r.more.error = cancelled ? withAbortCall(info, stackTexts(error)) : info;
    if (state === State.Failed && cancelled) state = State.Cancelled;
  }
  r.state = state;
  if (result !== undefined) r.more.result = result;
  publisher.ended(r);
}

/** Calls a program callback as `r` (its children get `r` as parent); exceptions pass through untouched. */
export function runAs<T>(r: Rec, fn: (...a: unknown[]) => T, self: unknown, args: ArrayLike<unknown>): T {
  const previous = enter(r);
  try {
    return fn.apply(self, args as unknown[]);
  } finally {
    leave(previous);
  }
}


/** Replaces obj[name] with a wrapper, keeping the original's own properties (util.promisify.custom ...). */
export function replace<T extends object>(obj: T, name: string, make: (orig: Function) => Function): void {
  const target = obj as Record<string, unknown>;
  const orig = target[name];
  if (typeof orig !== 'function') return;
  const wrapped = make(orig);
  for (const key of Reflect.ownKeys(orig)) {
    if (key === 'length' || key === 'name' || key === 'prototype') continue;
    const desc = Object.getOwnPropertyDescriptor(orig, key);
    if (desc) Object.defineProperty(wrapped, key, desc);
  }
  Object.defineProperty(wrapped, 'name', { value: orig.name });
  Object.defineProperty(wrapped, 'length', { value: orig.length });
  target[name] = wrapped;
}
