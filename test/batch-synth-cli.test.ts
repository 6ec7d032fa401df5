import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, ensureBuilt, NO_MODEL_ENV, ROOT, run } from './cli-harness.js';
import { cleanupPrefix, REDIS_URL, redisAvailable, SKIP_MESSAGE } from './service-harness.js';
import { testDocument } from './service-stages.fixture.js';

const skipBatch = (await redisAvailable()) ? false : SKIP_MESSAGE;
const tmp = mkdtempSync(join(tmpdir(), 'ledgerlens-batch-synth-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('synth: a summary line with the label coverage on stderr; --quiet: nothing', () => {
  const out = join(tmp, 'synth');
  const r = run(['synth', '--count', '3', '--seed', '7', '--out', out, '--no-label']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^synth: 3 invoices, label coverage PDF -, scan -, written to ${out.replace(/[.]/g, '\\.')}, [\\d.]+ s\\n$`));
  assert.equal(readdirSync(out).filter((f) => f.endsWith('.pdf')).length, 3);
  const quiet = run(['synth', '--count', '1', '--out', join(tmp, 'synth-q'), '--no-label', '--quiet']);
  assert.equal(quiet.status, 0);
  assert.equal(quiet.stderr, '');
});

test('batch: one JSON line per file on stdout, the summary on stderr, exit 1 when one failed', { skip: skipBatch }, async () => {
  ensureBuilt();
  const prefix = `lltest-${randomBytes(6).toString('hex')}`;
  const folder = join(tmp, 'inbox');
  mkdirSync(folder);
  writeFileSync(join(folder, 'a.pdf'), testDocument(['Invoice INV-901', 'Total 91.00 EUR']));
  writeFileSync(join(folder, 'b.pdf'), testDocument(['FAIL:CORRUPT']));
  writeFileSync(join(folder, 'c.txt'), 'plain text');
  try {
    // the stage fixture is TypeScript: the built binary runs with tsx loaded for it
    const r = spawnSync(process.execPath, ['--import', 'tsx', BIN, 'batch', folder, '--stages', join(ROOT, 'test/service-stages.fixture.ts'), '--timeout', '60'], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000,
      env: { ...NO_MODEL_ENV, LEDGERLENS_REDIS_URL: REDIS_URL, LEDGERLENS_REDIS_PREFIX: prefix, LEDGERLENS_STORE_DIR: join(tmp, 'store'), LEDGERLENS_SANDBOX_OCR: 'false', LEDGERLENS_QUEUE_ATTEMPTS: '1' },
    });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; status: string });
    assert.deepEqual(lines.map((l) => [l.file, l.status]), [['a.pdf', 'completed'], ['b.pdf', 'failed'], ['c.txt', 'rejected']]);
    assert.match(r.stderr, /(^|\n)batch: 3 documents, 2 failed, [\d.]+ s\n$/);
  } finally {
    await cleanupPrefix(prefix);
  }
});
