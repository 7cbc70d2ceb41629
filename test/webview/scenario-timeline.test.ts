/**
 * Scenario 1 of docs/scenarios.md with the real Python agent: sequential awaits, then gather. The run's report
 * is reopened in the view (as Open Session does) and the timeline must show the difference at a glance:
 * the sequential pair as a staircase (nothing drawn in the second lane while the first runs), the
 * gathered pair overlapping (both lanes drawn at the same moment).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reportToMessages } from '../../src/extension/sessionFiles';
import { findExecutable, launch } from '../../src/inspection/launch';
import { InspectorModel } from '../../src/model/model';
import type { Report, ReportTask } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(__dirname, 'fixtures/seq_vs_gather.py');
const LANE = 18;
const PYTHON = process.env.PYTHON ?? 'python3';
const skip = BROWSER_SKIP || (!findExecutable(PYTHON, process.env, ROOT) && `no ${PYTHON} on PATH`);

/** Runs the fixture with the Python agent from the sources (dist/ may be rebuilt meanwhile). */
async function run(): Promise<Report> {
  const dist = mkdtempSync(join(tmpdir(), 'ai-scenario-'));
  symlinkSync(join(ROOT, 'src/agents/python'), join(dist, 'python'));
  const model = new InspectorModel({});
  try {
    const exit = await new Promise<{ code: number | null; signal: string | null }>((done, fail) => {
      launch({ command: [PYTHON, FIXTURE], cwd: ROOT, distDir: dist }, {
        message: (conn, msg) => model.apply(conn, msg),
        stdout: () => undefined, stderr: () => undefined, warning: () => undefined,
        exit: (code, signal) => done({ code, signal }),
      }).catch(fail);
    });
    model.finish(exit);
    return model.report({ command: [PYTHON, FIXTURE] });
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}

/** Whether anything is drawn in lane `lane` at time `ms` of the timeline's canvas. */
async function drawn(h: Harness, ms: number, lane: number): Promise<boolean> {
  const alpha = await h.page.evaluate(`(() => {
    const root = document.querySelector('[data-testid="timeline"]');
    const canvas = root.querySelector('.timeline-canvas');
    const body = root.querySelector('.timeline-body');
    const start = Number(root.dataset.viewStart), end = Number(root.dataset.viewEnd);
    const ratio = canvas.width / body.clientWidth;
    const x = Math.round(((${ms} - start) / (end - start)) * body.clientWidth * ratio);
    const y = Math.round((${lane} * ${LANE} + ${LANE / 2} - body.scrollTop) * ratio);
    return canvas.getContext('2d').getImageData(x, y, 1, 1).data[3];
  })()`);
  return Number(alpha) > 0;
}

describe('scenario 1 on the timeline (real Python agent)', { skip }, () => {
  let h: Harness;
  let tasks: ReportTask[];
  before(async () => {
    const report = await run();
    assert.equal(report.exitCode, 0);
    tasks = report.tasks;
    h = await openView({ width: 560, height: 420 });
    await h.send(...reportToMessages(report));
    await h.settle();
    await h.page.click('[data-testid="pane-timeline"]');
    await h.settle();
  });
  after(async () => {
    await h?.close();
  });

  it('shows sequential awaits as a staircase and gather as overlapping bars', async () => {
    const byName = (prefix: string): ReportTask => tasks.find((t) => t.name.startsWith(prefix))!;
    const lanes = await h.page.$$eval('[data-testid="timeline-lanes"] li', (els) => els.map((e) => e.textContent ?? ''));
    const lane = (prefix: string): number => lanes.findIndex((l) => l.startsWith(prefix));
    const [seqA, seqB, gatherA, gatherB] = ['seq-a', 'seq-b', 'gather-a', 'gather-b'].map(byName);
    for (const t of [seqA, seqB, gatherA, gatherB]) assert.ok(t && t.endedAt !== null, JSON.stringify(t));
    // The data: seq-b starts when seq-a has ended; the gathered pair start together.
    assert.ok(seqB.createdAt >= seqA.endedAt! - 1, `seq-b at ${seqB.createdAt}, seq-a ended ${seqA.endedAt}`);
    assert.ok(gatherB.createdAt < gatherA.endedAt! && gatherA.createdAt < gatherB.endedAt!);
    // What the user sees: halfway through seq-a, seq-b's lane is empty; halfway through gather-b, both lanes are drawn.
    const midSeqA = (seqA.createdAt + seqA.endedAt!) / 2;
    assert.equal(await drawn(h, midSeqA, lane('seq-a')), true);
    assert.equal(await drawn(h, midSeqA, lane('seq-b')), false, 'sequential: the second waits for the first');
    const midGatherB = (gatherB.createdAt + gatherB.endedAt!) / 2;
    assert.equal(await drawn(h, midGatherB, lane('gather-a')), true);
    assert.equal(await drawn(h, midGatherB, lane('gather-b')), true, 'gather: both run at once');
    await h.screenshot('webview-scenario1-timeline-dark');
    await h.setTheme('light');
    await h.settle();
    await h.screenshot('webview-scenario1-timeline-light');
    assert.deepEqual(await h.problems(), []);
  });
});
