/**
 * The blocking-call band on the timeline lies over the running slice that caused it, for both runtimes:
 * real programs (a Python consumer that time.sleep()s 300 ms, a Node async function that spins 600 ms)
 * run under the real agents, their reports are opened in the view (as Open Session does), and the red
 * band is read off the time axis: red in the middle of the slice, clear one stall-length before it (where
 * a flag time taken as the stall's start would have drawn it).
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reportToMessages } from '../../src/extension/sessionFiles';
import { findExecutable, launch } from '../../src/inspection/launch';
import { InspectorModel } from '../../src/model/model';
import type { Report } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';

const ROOT = resolve(__dirname, '../..');
const PYTHON = process.env.PYTHON ?? 'python3';
const PROGRAMS = [
  { runtime: 'python', command: [PYTHON, join(__dirname, 'fixtures/stall_consumer.py')], task: 'consumer' },
  { runtime: 'node', command: [process.execPath, join(ROOT, 'test/fixtures/node/async-blocking.js')], task: 'crunch' },
];

async function run(command: string[]): Promise<Report> {
  const model = new InspectorModel({});
  const exit = await new Promise<{ code: number | null; signal: string | null }>((done, fail) => {
    launch({ command, cwd: ROOT, distDir: join(ROOT, 'dist') }, {
      message: (conn, msg) => model.apply(conn, msg),
      stdout: () => undefined, stderr: () => undefined, warning: () => undefined,
      exit: (code, signal) => done({ code, signal }),
    }).catch(fail);
  });
  model.finish(exit);
  return model.report({ command });
}

/** Whether the time axis is painted red at session time `ms`. */
async function redAt(h: Harness, ms: number): Promise<boolean> {
  const px = await h.page.evaluate(`(() => {
    const root = document.querySelector('[data-testid="timeline"]');
    const axis = root.querySelector('.timeline-axis');
    const start = Number(root.dataset.viewStart), end = Number(root.dataset.viewEnd);
    const ratio = axis.width / axis.clientWidth;
    const x = Math.round(((${ms} - start) / (end - start)) * axis.clientWidth * ratio);
    return [...axis.getContext('2d').getImageData(x, axis.height - 2, 1, 1).data];
  })()`) as number[];
  return px[3] > 0 && px[0] > px[1] && px[0] > px[2];
}

for (const program of PROGRAMS) {
  const missing = program.runtime === 'python' && !findExecutable(PYTHON, process.env, ROOT) && `no ${PYTHON} on PATH`;
  describe(`the stall band over its slice (${program.runtime}, real agent)`, { skip: BROWSER_SKIP || missing }, () => {
    let h: Harness;
    let report: Report;
    before(async () => {
      report = await run(program.command);
      h = await openView({ width: 560, height: 420 });
      await h.send(...reportToMessages(report));
      await h.settle();
      await h.page.click('[data-testid="pane-timeline"]');
      await h.settle();
    });
    after(async () => {
      await h?.close();
    });

    it('draws the red band over the running slice, not a stall-length before it', async () => {
      assert.equal(report.exitCode, 0);
      const task = report.tasks.find((t) => t.name.startsWith(program.task))!;
      const flag = report.flags.find((f) => f.kind === 'blocking-call');
      assert.ok(flag?.durationMs !== undefined && flag.t !== undefined, `a blocking-call flag: ${JSON.stringify(report.flags)}`);
      assert.equal(flag.task, task.id);
      const slice = (task.steps ?? []).find(([, dur]) => dur >= 200);
      assert.ok(slice, `a running slice of ${program.task}: ${JSON.stringify(task.steps)}`);
      const [at, dur] = slice;
      assert.equal(await redAt(h, at + dur / 2), true, 'red over the middle of the slice');
      assert.equal(await redAt(h, at - dur / 2), false, 'clear a stall-length before it');
      await h.screenshot(`webview-stall-band-${program.runtime}`);
    });
  });
}
