import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineDecoder, encodeMessage } from '../../src/protocol/framing';
import { decodeEvent, encodeEvent } from '../../src/protocol/wire-events';
import { InspectorModel } from '../../src/model/model';
import { hello } from './helpers';
import { SAMPLES } from './wire-samples';


test('every event kind round-trips through its wire form', () => {
  for (const ev of SAMPLES) assert.deepEqual(decodeEvent(JSON.parse(JSON.stringify(encodeEvent(ev)))), ev);
});

test('the wire form is positional, absent optionals are null and trailing ones are left out', () => {
  assert.deepEqual(encodeEvent(SAMPLES[3]), ['create', 7, 'promise', 'main', null, 1, 1.5]);
  assert.deepEqual(encodeEvent(SAMPLES[4]), ['create', 8, 'task', 'f', 7, null, 2, null, 1]);
  assert.deepEqual(encodeEvent(SAMPLES[13]), ['end', 9, 'failed', 5, null, { type: 'ValueError', message: 'bad', stack: [2] }]);
});

test('objects, unknown kinds and arrays of the wrong length do not decode', () => {
  for (const bad of [{ e: 'step', id: 1, t: 1, dur: 1 }, null, 5, [], ['warp', 1], ['step', 1, 2], ['step', 1, 2, 3, 4], ['retract']]) {
    assert.equal(decodeEvent(bad), null, JSON.stringify(bad));
  }
});

test('a batch with a bad event keeps its good ones; the model counts the bad one', () => {
  const model = new InspectorModel();
  const decoder = new LineDecoder((m) => model.apply(0, m), (e) => assert.fail(e));
  decoder.push(encodeMessage(hello()));
  decoder.push('{"type":"batch","seq":1,"dropped":0,"events":[["create",1,"promise","a",null,null,1],{"e":"end"},["end",1,"done",2]]}\n');
  const snap = model.snapshot();
  assert.equal(model.malformedEvents, 1);
  assert.deepEqual(snap.upserts.map((t) => [t.name, t.state]), [['a', 'done']]);
});
