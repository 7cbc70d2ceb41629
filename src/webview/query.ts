/**
 * The search box's language: words separated by spaces, all of which must match. A plain word matches a
 * task's name or creation site; `name:`, `site:`, `state:`, `kind:` and `flag:` narrow to one field
 * (`state:pending,running` means either; `flag:` alone means "has any flag"); a leading `-` negates.
 * Pure: parsing and matching only, the view decides what to do with the result.
 */
import type { FlagView, Location, TaskView } from '../model/types';
import type { SiteOf } from '../shared/store';
import { flagTitle } from './flagKinds';

export type QueryField = 'text' | 'name' | 'site' | 'state' | 'kind' | 'flag';

export interface QueryTerm {
  field: QueryField;
  /** Lower-cased alternatives; a term matches when any of them does. Empty for `flag:` (any flag). */
  values: string[];
  negated: boolean;
}

export interface Query {
  terms: QueryTerm[];
}

const FIELDS: ReadonlySet<string> = new Set(['name', 'site', 'state', 'kind', 'flag']);
/** Longest query text considered (a pasted megabyte must not stall every update). */
const MAX_QUERY = 500;

export function parseQuery(text: string): Query {
  const terms: QueryTerm[] = [];
  for (let word of text.slice(0, MAX_QUERY).trim().split(/\s+/)) {
    if (!word) continue;
    let negated = false;
    if (word.startsWith('-') && word.length > 1) {
      negated = true;
      word = word.slice(1);
    }
    const colon = word.indexOf(':');
    const key = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    if (FIELDS.has(key)) {
      const values = word.slice(colon + 1).toLowerCase().split(',').filter(Boolean);
      if (values.length === 0 && key !== 'flag') continue; // "state:" while still typing: no constraint yet
      terms.push({ field: key as QueryField, values, negated });
    } else {
      terms.push({ field: 'text', values: [word.toLowerCase()], negated });
    }
  }
  return { terms };
}

export function isEmptyQuery(q: Query): boolean {
  return q.terms.length === 0;
}

/** Lower-cased search text of a task, computed once per task record (records are replaced on change). */
const haystacks = new WeakMap<TaskView, { name: string; site: string }>();

export function siteText(loc: Location | null | undefined): string {
  return loc ? `${loc.file}:${loc.line} ${loc.function}`.toLowerCase() : '';
}

function haystack(t: TaskView, site: SiteOf): { name: string; site: string } {
  let h = haystacks.get(t);
  if (!h) haystacks.set(t, (h = { name: t.name.toLowerCase(), site: siteText(site(t.created)) }));
  return h;
}

const anyIncludes = (s: string, values: string[]): boolean => values.some((v) => s.includes(v));
const anyPrefix = (s: string, values: string[]): boolean => values.some((v) => s.startsWith(v));

/** The flag kinds raised against each task, for `flag:` terms. */
export function flagKindsByTask(flags: Iterable<FlagView>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of flags) {
    if (f.task === null) continue;
    const list = out.get(f.task);
    if (list) list.push(f.kind);
    else out.set(f.task, [f.kind]);
  }
  return out;
}

function flagKindMatches(kinds: readonly string[] | undefined, values: string[]): boolean {
  if (!kinds || kinds.length === 0) return false;
  return values.length === 0 || values.includes('any') || kinds.some((k) => anyIncludes(k, values) || anyIncludes(flagTitle(k).toLowerCase(), values));
}

function taskTermMatches(t: TaskView, term: QueryTerm, flagKinds: ReadonlyMap<string, string[]>, site: SiteOf): boolean {
  switch (term.field) {
    case 'text': {
      const h = haystack(t, site);
      return anyIncludes(h.name, term.values) || anyIncludes(h.site, term.values);
    }
    case 'name':
      return anyIncludes(haystack(t, site).name, term.values);
    case 'site':
      return anyIncludes(haystack(t, site).site, term.values);
    case 'state':
      return anyPrefix(t.state, term.values);
    case 'kind':
      return anyPrefix(t.kind.toLowerCase(), term.values);
    case 'flag':
      return flagKindMatches(flagKinds.get(t.id), term.values);
    default: {
      const never: never = term.field;
      return never;
    }
  }
}

export function taskMatches(t: TaskView, q: Query, flagKinds: ReadonlyMap<string, string[]>, site: SiteOf): boolean {
  for (const term of q.terms) if (taskTermMatches(t, term, flagKinds, site) === term.negated) return false;
  return true;
}

/**
 * A flag matches a term by its own text (message, kind, location) or through its task: `state:pending`
 * keeps the flags of pending tasks, a task's name finds the flags raised against it.
 */
export function flagMatches(f: FlagView, q: Query, taskOf: (id: string) => TaskView | undefined, site: SiteOf): boolean {
  const task = f.task !== null ? taskOf(f.task) : undefined;
  for (const term of q.terms) {
    let hit: boolean;
    switch (term.field) {
      case 'flag':
        hit = flagKindMatches([f.kind], term.values);
        break;
      case 'text':
        hit = anyIncludes(`${f.message} ${flagTitle(f.kind)}`.toLowerCase(), term.values)
          || anyIncludes(siteText(f.location), term.values)
          || (task !== undefined && taskTermMatches(task, term, new Map(), site));
        break;
      case 'site':
        hit = anyIncludes(siteText(f.location), term.values) || (task !== undefined && taskTermMatches(task, term, new Map(), site));
        break;
      case 'name':
      case 'state':
      case 'kind':
        hit = task !== undefined && taskTermMatches(task, term, new Map(), site);
        break;
      default: {
        const never: never = term.field;
        return never;
      }
    }
    if (hit === term.negated) return false;
  }
  return true;
}

/** Replaces (or adds) the `state:` term of a query text: what clicking a state count does. */
export function toggleStateTerm(text: string, state: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const current = words.find((w) => /^state:/i.test(w));
  const rest = words.filter((w) => w !== current);
  if (current?.toLowerCase() === `state:${state}`) return rest.join(' ');
  return [...rest, `state:${state}`].join(' ');
}
