/**
 * Events travel positionally: `[kind, ...fields in EVENT_FIELDS order]`, e.g.
 * `["create",7,"promise","main",null,3,12.5]`. Decoding positional arrays is about twice as fast as decoding
 * objects with named keys (JSON.parse is most of what ingest costs), and lines are about half as long.
 *
 * Rules, shared with the Python agent's protocol.to_wire:
 * - required fields are always present (null is a value: `parent: null`);
 * - an absent optional field is null, and absent optional fields at the end are left out;
 * - so a decoded event has exactly the keys its sender set (null optionals are not set).
 */
import { EVENT_FIELDS, type AgentEvent, type AgentEventKind } from './events';

interface Layout {
  /** Field names in wire order (without the '?' separator). */
  names: readonly string[];
  /** How many of them are required. */
  required: number;
}

const LAYOUTS = new Map<string, Layout>();
for (const [kind, fields] of Object.entries(EVENT_FIELDS) as [AgentEventKind, readonly string[]][]) {
  const split = fields.indexOf('?');
  LAYOUTS.set(kind, {
    names: fields.filter((f) => f !== '?'),
    required: split === -1 ? fields.length : split,
  });
}

/** An event as it goes on the wire. */
export function encodeEvent(ev: AgentEvent): unknown[] {
  const layout = LAYOUTS.get(ev.e);
  if (layout === undefined) throw new Error(`unknown event kind ${String(ev.e)}`);
  const fields = ev as unknown as Record<string, unknown>;
  const out: unknown[] = [ev.e];
  const { names, required } = layout;
  let last = required; // length of `out` without trailing absent optionals, minus the kind
  for (let i = 0; i < names.length; i++) {
    const v = fields[names[i]];
    out.push(v === undefined ? null : v);
    if (i >= required && v !== undefined && v !== null) last = i + 1;
  }
  out.length = last + 1;
  return out;
}

/**
 * An event from the wire, or null when it is not an array of a known kind with a plausible length.
 * Field types are checked by the model as it applies the event.
 */
export function decodeEvent(raw: unknown): AgentEvent | null {
  if (!Array.isArray(raw)) return null;
  const layout = LAYOUTS.get(raw[0]);
  if (layout === undefined) return null;
  const { names, required } = layout;
  const n = raw.length - 1;
  if (n < required || n > names.length) return null;
  const ev: Record<string, unknown> = { e: raw[0] };
  for (let i = 0; i < required; i++) ev[names[i]] = raw[i + 1];
  for (let i = required; i < n; i++) {
    const v = raw[i + 1];
    if (v !== null) ev[names[i]] = v;
  }
  return ev as unknown as AgentEvent;
}
