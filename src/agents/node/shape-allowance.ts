/**
 * How many short-lived records of one shape (kind, name or family, creation site) the publisher sends one by
 * one: SHAPE_PER_SEC a second; the rest are rolled up. Under a steady load the same few shapes repeat
 * thousands of times a second (a server's requests, its handlers' promises): sending each as `create` + `end`
 * cost the agent encoding and the model ingesting (~10,000 records in 40,000 requests before), and a row per
 * request tells nothing the rollup's count and time do not. A record still pending is not limited (it may be
 * the one that never ends), nor is one a finding or a rollup names (published on demand).
 */
import type { TaskKind } from '../../protocol/events';

export const SHAPE_PER_SEC = 20;
const WINDOW_MS = 1000;

interface Shape {
  kind: TaskKind;
  name: string;
  sent: number;
}

export class ShapeAllowance {
  /** Shapes by site, then a short scan by kind and name (no key string per record). */
  private bySite = new Map<number | null, Shape[]>();
  /** Agent time starts at 0: the first window starts with the agent (records end before the first flush). */
  private windowStart = 0;

  /** At each flush: a new window once the last one is a second old. */
  roll(now: number): void {
    if (now - this.windowStart < WINDOW_MS) return;
    this.windowStart = now;
    this.bySite.clear();
  }

  /** Whether a shape has had its one-by-one records this window (counts one more when it has not). */
  spent(kind: TaskKind, name: string, site: number | null): boolean {
    let list = this.bySite.get(site);
    if (list === undefined) this.bySite.set(site, (list = []));
    let shape: Shape | undefined;
    for (const s of list) {
      if (s.name === name && s.kind === kind) {
        shape = s;
        break;
      }
    }
    if (shape === undefined) list.push((shape = { kind, name, sent: 0 }));
    if (shape.sent >= SHAPE_PER_SEC) return true;
    shape.sent++;
    return false;
  }
}
