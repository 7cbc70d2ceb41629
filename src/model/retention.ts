/**
 * Bounded retention of finished tasks: once more than `max` finished tasks are held, the oldest
 * finished ones are retired (dropped from memory, still counted). Live tasks are never retired.
 */
import type { TaskRecord } from './records';

export class Retention {
  private queue: TaskRecord[] = [];
  private head = 0;
  retired = 0;

  constructor(private readonly max: number, private readonly onRetire: (rec: TaskRecord) => void) {}

  /** A task reached a final state. */
  finished(rec: TaskRecord): void {
    this.queue.push(rec);
    while (this.queue.length - this.head > this.max) {
      const old = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as TaskRecord; // let it be collected
      this.retired++;
      this.onRetire(old);
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Tasks that finished without being held one by one (rollups). */
  retiredUnseen(count: number): void {
    this.retired += count;
  }
}
