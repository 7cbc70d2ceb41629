/**
 * Change tracking between two deltas. Records are marked with the current epoch instead of being put
 * in a Set: marking an already-dirty record is one comparison, which keeps apply() fast.
 */
import type { FlagView, LoopView } from './types';
import type { TaskRecord } from './records';
import { globalId } from './records';

export class ChangeTracker {
  epoch = 1;
  private dirty: TaskRecord[] = [];
  /** When `dirty` reaches this, retired records are dropped from it (a consumer that never takes deltas, like the CLI, must not leak). */
  private compactAt = 16_384;
  private removed: string[] = [];
  private flags: FlagView[] = [];
  private retracted: string[] = [];
  private loops: LoopView[] = [];
  /** Anything at all changed (counts, dropped ...) since the last take. */
  changed = false;
  /** A process connected or ended since the last take (the next delta carries the process tree). */
  processesChanged = false;

  touch(rec: TaskRecord): void {
    if (rec.mark !== this.epoch) {
      rec.mark = this.epoch;
      if (this.dirty.push(rec) >= this.compactAt) {
        this.dirty = this.dirty.filter((r) => !r.retired);
        this.compactAt = Math.max(16_384, this.dirty.length * 2);
      }
    }
    this.changed = true;
  }

  retire(rec: TaskRecord): void {
    rec.retired = true;
    if (rec.sent) this.removed.push(globalId(rec.conn, rec.local));
    this.changed = true;
  }

  flagAdded(flag: FlagView): void {
    this.flags.push(flag);
    this.changed = true;
  }

  flagRetracted(id: string): void {
    const i = this.flags.findIndex((f) => f.id === id);
    // Raised and withdrawn within one delta: not worth sending. The withdrawal is still announced,
    // since a snapshot taken meanwhile may have shown the flag (withdrawing an unknown id is harmless).
    if (i >= 0) this.flags.splice(i, 1);
    this.retracted.push(id);
    this.changed = true;
  }

  loopAdded(loop: LoopView): void {
    this.loops.push(loop);
    this.changed = true;
  }

  processChanged(): void {
    this.processesChanged = true;
    this.changed = true;
  }

  /** Hands out everything collected and starts a new epoch. */
  take(): {
    dirty: TaskRecord[]; removed: string[]; flags: FlagView[]; retracted: string[]; loops: LoopView[]; processes: boolean;
  } {
    const out = {
      processes: this.processesChanged,
      dirty: this.dirty.filter((r) => !r.retired),
      removed: this.removed,
      flags: this.flags,
      retracted: this.retracted,
      loops: this.loops,
    };
    this.dirty = [];
    this.removed = [];
    this.flags = [];
    this.retracted = [];
    this.loops = [];
    this.changed = false;
    this.processesChanged = false;
    this.epoch++;
    return out;
  }
}
