/**
 * The real model for the Python agent's tests (receiver.py drives it): reads on stdin, one per line,
 *   `<conn> <channel line>`  a line the agent wrote on connection `conn` (0 = the first to connect), as is;
 *   `? `                     answer with what the panel holds now;
 *   `! <code> <signal>`      the program ended (JSON values): run the end-of-run lints, then answer.
 * Each answer is one JSON line on stdout: the model's report (`--json`'s), what the view showed over the run
 * (viewer.ts: each task's states/awaits after each delta, every flag shown, those standing), and how many
 * lines and events were malformed. Reduction is the model's and the store's only; nothing here interprets events.
 */
import { createInterface } from 'node:readline';
import { InspectorModel } from '../../src/model/model';
import { LineDecoder } from '../../src/protocol/framing';
import { Viewer } from '../agent-node/viewer';

/** Every finished task kept: a test looks tasks up by name after the run. */
const model = new InspectorModel({ maxFinishedTasks: 1_000_000_000 });
const view = new Viewer(model);
const decoders = new Map<number, LineDecoder>();
let malformedLines = 0;

function decoder(conn: number): LineDecoder {
  let d = decoders.get(conn);
  if (!d) {
    d = new LineDecoder((msg) => view.apply(conn, msg), () => malformedLines++);
    decoders.set(conn, d);
  }
  return d;
}

function answer(): void {
  view.update();
  const report = model.report({ command: [], malformedLines });
  process.stdout.write(JSON.stringify({ report, ...view.shown(), malformedLines, malformedEvents: model.malformedEvents }) + '\n');
}

createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  const space = line.indexOf(' ');
  const head = line.slice(0, space);
  const rest = line.slice(space + 1);
  if (head === '?') return answer();
  if (head === '!') {
    const [code, signal] = rest.split(' ').map((v) => JSON.parse(v) as unknown);
    model.finish({ code: typeof code === 'number' ? code : null, signal: typeof signal === 'string' ? signal : null });
    return answer();
  }
  decoder(Number(head)).push(rest + '\n');
});
