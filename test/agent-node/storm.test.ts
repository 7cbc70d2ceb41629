/** Promise storms are summarised (rollups), bounded in volume, and exact in count. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, runTraced } from './trace';

describe('node agent: promise storms', () => {
  it('accounts for every call of a 50,000-await storm with a bounded number of events', async () => {
    const trace = await runTraced(fixture('storm.js'));
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'storm done 1249975000\n');
    const main = trace.one('main');
    const shown = trace.named('tiny').length;
    const rolled = trace.rollups()
      .filter((r) => r.name === 'tiny' || (r.name === 'promise' && String(r.parent) === main.id))
      .reduce((n, r) => n + r.count, 0);
    assert.ok(shown > 0, 'the first calls are shown one by one, with their site');
    assert.ok(rolled > 40_000, `the rest are rolled up (${rolled})`);
    // 50,000 calls, plus the promise of the pause right after the loop: made before the next flush, it is
    // still part of the storm.
    assert.equal(shown + rolled, 50_001);
    assert.ok(trace.events.length < 10_000, `${trace.events.length} events for 100,000 promises`);
    for (const m of trace.messages) if (m.type === 'batch') assert.equal(m.dropped, 0);
  });

  it('traces relations again once the storm is over', async () => {
    const trace = await runTraced(fixture('storm.js'));
    const after = trace.one('afterStorm');
    assert.equal(after.parent, trace.one('main').id);
    assert.ok(trace.awaits(trace.one('main'), after));
    assert.equal(after.created?.line, 10);
  });
});
