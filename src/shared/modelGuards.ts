/**
 * Runtime validation of the model's data (src/model/types.ts) as it arrives in a message.
 * Unknown task kinds are accepted (agents may add kinds; the view shows a generic icon), unknown
 * states are not (the tree is grouped by state).
 */
import { TASK_STATES } from '../protocol/events';
import { MAX_STEPS_PER_TASK } from '../model/records';
import type {
  Counts, FlagView, LocatedTask, Location, LoopView, ModelDelta, ProcessView, SessionInfo, Site, SiteId, TaskProgress, TaskView,
} from '../model/types';
import {
  isArrayOf, isNullable, isNumber, isOneOf, isOptional, isRecord, isString, type Json,
} from './guards';

export const isTaskState = isOneOf(TASK_STATES);
const isRuntime = isOneOf(['node', 'python'] as const);

export function isLocation(v: Json): v is Location {
  return isRecord(v) && isString(v.file) && isNumber(v.line) && isOptional(v.col, isNumber) && isString(v.function);
}

/** A site reference: a whole number from 1 (resolved through the site table; an id not in it shows as unknown). */
export function isSiteId(v: Json): v is SiteId {
  return isNumber(v) && Number.isInteger(v) && v >= 1;
}

/** A site table entry. */
export function isSite(v: Json): v is Site {
  return isLocation(v) && isSiteId((v as { id?: unknown }).id);
}

type SiteGuard = (v: Json) => boolean;

/** A task whose source locations pass `isSiteRef` (SiteIds in deltas, Locations in a saved report). */
function isTaskShape(v: Json, isSiteRef: SiteGuard): boolean {
  return isRecord(v)
    && isString(v.kind) && isNullable(v.parent, isString)
    && (v.created === null || isSiteRef(v.created)) && (v.stack === undefined || isListOf(v.stack, isSiteRef))
    && isOptional(v.loop, isString) && isNumber(v.createdAt)
    && isOptional(v.foundAtAttach, (o) => o === 'creation' || o === 'definition' || o === 'unknown')
    && hasProgressFields(v, isSiteRef);
}

export function isTaskView(v: Json): v is TaskView {
  return isTaskShape(v, isSiteId);
}

/** A saved report's task (before `awaitedBy` is rebuilt): Locations where a view has SiteIds. */
export function isLocatedTask(v: Json): v is LocatedTask {
  return isTaskShape(v, isLocation);
}

/** A delta's progress entry: the fields of a TaskView that can change, checked the same way. */
export function isTaskProgress(v: Json): v is TaskProgress {
  return isRecord(v) && hasProgressFields(v, isSiteId) && isOptional(v.stepsFrom, isStepIndex);
}

function hasProgressFields(v: { [key: string]: Json }, isSiteRef: SiteGuard): boolean {
  return isString(v.id) && isString(v.name) && isTaskState(v.state)
    && isArrayOf(v.awaiting, isString) && isArrayOf(v.awaitedBy, isString)
    && (v.awaitAt === undefined || v.awaitAt === null || isSiteRef(v.awaitAt)) && isOptional(v.awaitSince, isNumber)
    && isOptional(v.thread, isString)
    && isOptional(v.startedAt, isNumber) && isOptional(v.endedAt, isNumber)
    && isOptional(v.runMs, isNumber) && (v.error === undefined || isErrorInfo(v.error, isSiteRef)) && isOptional(v.result, isString)
    && isOptional(v.steps, isStepList);
}

function isErrorInfo(v: Json, isSiteRef: SiteGuard): boolean {
  return isRecord(v) && isString(v.type) && isString(v.message) && (v.stack === undefined || isListOf(v.stack, isSiteRef));
}

function isListOf(v: Json, guard: SiteGuard): boolean {
  return isArrayOf(v, (x): x is unknown => guard(x));
}

function isLocationList(v: Json): v is Location[] {
  return isArrayOf(v, isLocation);
}

/** Where appended running slices start: a whole number within the model's bound. */
function isStepIndex(v: Json): v is number {
  return isNumber(v) && Number.isInteger(v) && v >= 0 && v <= MAX_STEPS_PER_TASK;
}

/** Running slices: [start, duration] pairs of finite numbers. */
function isStepList(v: Json): v is Array<[number, number]> {
  return isArrayOf(v, (s): s is [number, number] => Array.isArray(s) && s.length === 2 && isNumber(s[0]) && isNumber(s[1]) && s[1] >= 0);
}

export function isFlagView(v: Json): v is FlagView {
  return isRecord(v)
    && isString(v.id) && isString(v.kind) && isString(v.message)
    && isNullable(v.location, isLocation) && isNullable(v.task, isString)
    && isOptional(v.durationMs, isNumber) && isOptional(v.stack, isLocationList) && isNumber(v.t)
    && isOptional(v.pid, isPid);
}

function isPid(v: Json): v is number {
  return isNumber(v) && Number.isInteger(v) && v >= 0;
}

/** At most this many processes in a delta's tree (the channel traces 64 at once; ended ones stay listed). */
export const MAX_PROCESSES = 4096;

export function isProcessView(v: Json): v is ProcessView {
  return isRecord(v) && isPid(v.pid) && isNullable(v.parentPid, isPid) && isArrayOf(v.command, isString)
    && isArrayOf(v.idPrefixes, isString) && typeof v.exited === 'boolean' && isNullable(v.exitCode, isNumber);
}

export function isLoopView(v: Json): v is LoopView {
  return isRecord(v) && isString(v.id) && isString(v.name) && isString(v.thread);
}

export function isCounts(v: Json): v is Counts {
  return isRecord(v) && TASK_STATES.every((s) => isNumber(v[s]) && (v[s] as number) >= 0);
}

/**
 * A delta with its records checked one by one: a record that fails validation is left out (and
 * counted) instead of rejecting the whole delta, so one odd task cannot blank the view.
 */
export function sanitizeDelta(v: Json): { delta: ModelDelta; invalid: number } | undefined {
  if (!isDeltaShell(v) || !Array.isArray(v.upserts) || !Array.isArray(v.flags) || !Array.isArray(v.loops)) return undefined;
  if (v.progress !== undefined && !Array.isArray(v.progress)) return undefined;
  if (v.sites !== undefined && !Array.isArray(v.sites)) return undefined;
  const sites = v.sites?.filter(isSite);
  if (v.processes !== undefined && (!Array.isArray(v.processes) || v.processes.length > MAX_PROCESSES)) return undefined;
  const processes = v.processes?.filter(isProcessView);
  const upserts = v.upserts.filter(isTaskView);
  const progress = v.progress?.filter(isTaskProgress);
  const flags = v.flags.filter(isFlagView);
  const loops = v.loops.filter(isLoopView);
  const invalid = (v.sites?.length ?? 0) - (sites?.length ?? 0) + v.upserts.length - upserts.length + (v.progress?.length ?? 0) - (progress?.length ?? 0)
    + v.flags.length - flags.length + v.loops.length - loops.length
    + (v.processes?.length ?? 0) - (processes?.length ?? 0);
  const delta: ModelDelta = {
    seq: v.seq, reset: v.reset, upserts, removed: v.removed, flags, retractedFlags: v.retractedFlags, loops,
    counts: v.counts, retired: v.retired, dropped: v.dropped, now: v.now,
  };
  if (sites) delta.sites = sites;
  if (progress) delta.progress = progress;
  if (processes) delta.processes = processes;
  return { delta, invalid };
}

/**
 * A delta as it enters the extension host: validated once here. When every record passed, the delta is the
 * object that arrived, so the host posts it on unchanged; otherwise a copy without the records that failed.
 */
export function checkDelta(v: Json): { delta: ModelDelta; invalid: number } | undefined {
  const checked = sanitizeDelta(v);
  if (!checked || checked.invalid > 0) return checked;
  return { delta: v as ModelDelta, invalid: 0 };
}

function isDeltaShell(v: Json): v is Omit<ModelDelta, 'sites' | 'upserts' | 'progress' | 'flags' | 'loops' | 'processes'>
  & Record<'upserts' | 'flags' | 'loops', unknown> & { progress?: unknown; processes?: unknown; sites?: unknown } {
  return isRecord(v)
    && isNumber(v.seq) && typeof v.reset === 'boolean'
    && isArrayOf(v.removed, isString) && isArrayOf(v.retractedFlags, isString)
    && isCounts(v.counts) && isNumber(v.retired) && isNumber(v.dropped) && isNumber(v.now);
}

export function isSessionInfo(v: Json): v is SessionInfo {
  return isRecord(v)
    && isRuntime(v.runtime) && isArrayOf(v.command, isString)
    && isOptional(v.pid, isNumber) && isNumber(v.startEpochMs) && isOptional(v.attached, (a) => a === true);
}
