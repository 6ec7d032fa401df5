import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { mapInOrder } from '../src/cli/ordered-pool.js';
import { formatDuration, Progress } from '../src/cli/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (t: string) => { writes.push(t); return true; } } };
}

describe('progress', () => {
  test('terminal: one line redrawn in place (done/total, rate, ETA, failures), cleared before the summary', () => {
    let now = 0;
    const { writes, stream } = fakeStream(true);
    const p = new Progress({ label: 'extract', unit: 'documents', review: true, total: 10, stream, now: () => now, timer: false });
    now = 100; p.tick();
    assert.deepEqual(writes, [], 'nothing in the first half second');
    now = 2000; p.tick({ failed: true, review: 2 });
    assert.deepEqual(writes, ['\r\x1b[Kextract 2/10 (20%), 1.0 documents/s, ETA 8.0 s, 1 failed']);
    now = 2050; p.tick();
    assert.equal(writes.length, 1, 'at most ten redraws a second');
    now = 4000; p.tick({ review: 1 });
    assert.equal(writes.at(-1), '\r\x1b[Kextract 4/10 (40%), 1.0 documents/s, ETA 6.0 s, 1 failed');
    p.clear(); p.redraw();
    assert.deepEqual(writes.slice(-2), ['\r\x1b[K', '\r\x1b[Kextract 4/10 (40%), 1.0 documents/s, ETA 6.0 s, 1 failed']);
    now = 64_000; p.finish();
    assert.deepEqual(writes.slice(-2), ['\r\x1b[K', 'extract: 4 documents, 1 failed, 3 fields under review, 1 min 04 s\n']);
  });

  test('not a terminal: a line every N items or S seconds, then the summary', () => {
    let now = 0;
    const { writes, stream } = fakeStream(false);
    const p = new Progress({ label: 'synth', unit: 'invoices', failures: false, total: 100, stream, now: () => now, everyItems: 10, everySeconds: 30, timer: false });
    for (let i = 0; i < 9; i++) { now += 100; p.tick(); }
    assert.deepEqual(writes, []);
    now += 100; p.tick();
    assert.deepEqual(writes, ['synth: 10/100 (10%), 10 invoices/s, ETA 9.0 s\n']);
    now += 40_000; p.tick();
    assert.equal(writes.length, 2, 'after 30 s even without 10 more items');
    assert.match(writes[1]!, /^synth: 11\/100 \(11%\), 0\.3 invoices\/s, ETA 5 min \d\d s\n$/);
    p.finish(['label coverage 0.99']);
    assert.equal(writes.at(-1), 'synth: 11 invoices, label coverage 0.99, 41 s\n');
  });

  test('quiet: nothing at all; abort: no summary', () => {
    const { writes, stream } = fakeStream(true);
    const q = new Progress({ label: 'x', unit: 'documents', total: 1, stream, quiet: true, timer: false, delaySeconds: 0 });
    q.tick(); q.finish();
    const a = new Progress({ label: 'x', unit: 'documents', total: 2, stream, timer: false, delaySeconds: 0 });
    a.tick(); a.abort();
    assert.equal(writes.length, 2, 'the quiet one wrote nothing; the aborted one its line, then cleared it');
    assert.ok(writes[0]!.startsWith('\r\x1b[Kx 1/2 (50%), '), writes[0]);
    assert.equal(writes[1], '\r\x1b[K');
    assert.equal(formatDuration(3725), '1 h 02 min');
  });
});

describe('mapInOrder', () => {
  test('at most N in flight, results handed on in input order as soon as their prefix is done', async () => {
    const delays = [60, 10, 30, 5, 40, 1];
    let inFlight = 0;
    let most = 0;
    const emitted: number[] = [];
    const started: number[] = [];
    await mapInOrder(delays, 2, async (ms, i) => {
      started.push(i);
      most = Math.max(most, ++inFlight);
      await sleep(ms);
      inFlight--;
      return i;
    }, (r, i) => { assert.equal(r, i); emitted.push(i); });
    assert.deepEqual(emitted, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5], 'started in input order');
    assert.equal(most, 2);
  });

  test('an error stops new work and is rethrown', async () => {
    const started: number[] = [];
    await assert.rejects(mapInOrder([1, 2, 3, 4], 1, async (n) => { started.push(n); if (n === 2) throw new Error('boom'); return n; }, () => {}), /boom/);
    assert.deepEqual(started, [1, 2]);
  });
});
