import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, type ConfigInput } from '../src/config/config.js';
import { LedgerlensError } from '../src/core/errors.js';
import { checkDecompressedSize, RenderBudget } from '../src/document/pdf-limits.js';
import { ocr } from '../src/pipeline/stages.js';
import { silentLogger } from '../src/service/logger.js';
import { childExecArgv, childExitError, SandboxPool } from '../src/service/sandbox-pool.js';
import { flateBombPdf, hugePagesPdf, reusedPageTreePdf } from './poison-pdfs.js';
import { testDocument } from './service-stages.fixture.js';

/**
 * Issue 16, failures 2 and 4: small hostile files end in a permanent, coded failure in bounded time
 * and memory, through the real ocr stage (pdfjs page count, decompression and render budgets) and
 * through the OCR sandbox (time limit, heap cap, exit signals).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const config = (overrides: ConfigInput = {}) => loadConfig({ env: {}, overrides });

async function expectCode(what: string, run: () => Promise<unknown>, code: string, maxMs: number, maxRssGrowthMb: number): Promise<void> {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const t0 = Date.now();
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof LedgerlensError, `${what}: ${String(err)}`);
    assert.equal(err.code, code, `${what}: ${err.message}`);
    assert.ok(err.permanent, `${what}: a permanent code`);
    return true;
  });
  const ms = Date.now() - t0;
  const grown = (process.memoryUsage().rss - rss0) / 1024 / 1024;
  assert.ok(ms < maxMs, `${what}: failed after ${ms} ms (bound ${maxMs})`);
  assert.ok(grown < maxRssGrowthMb, `${what}: resident memory grew ${grown.toFixed(0)} MB (bound ${maxRssGrowthMb})`);
}

describe('poison PDFs through the real ocr stage', () => {
  // Module loading and JIT are not the budget under test: warm pdfjs up on a harmless file first.
  before(async () => { await assert.rejects(ocr(new Uint8Array(hugePagesPdf(1)), { file: 'warm.pdf' }, { config: config() })); });
  test('a page tree that reuses its nodes (10 x 9 levels, 10^9 pages, ~1.4 KB): TOO_MANY_PAGES at once', async () => {
    const pdf = reusedPageTreePdf();
    assert.ok(pdf.byteLength < 2000, `${pdf.byteLength} bytes`);
    await expectCode('reused page tree', () => ocr(new Uint8Array(pdf), { file: 'tree.pdf' }, { config: config() }), 'TOO_MANY_PAGES', 5000, 200);
  });

  test('ten 14,400 pt pages without text: RESOURCE_LIMIT before a pixel is rendered', async () => {
    const pdf = hugePagesPdf();
    assert.ok(pdf.byteLength < 3000, `${pdf.byteLength} bytes`);
    await expectCode('huge pages', () => ocr(new Uint8Array(pdf), { file: 'huge.pdf' }, { config: config() }), 'RESOURCE_LIMIT', 5000, 200);
  });

  test('a Flate bomb (64 MB of zeros in ~65 KB) over an 8 MB budget: RESOURCE_LIMIT, nothing kept in memory', async () => {
    const pdf = flateBombPdf(64);
    assert.ok(pdf.byteLength < 100_000, `${pdf.byteLength} bytes`);
    await expectCode('flate bomb', () => ocr(new Uint8Array(pdf), { file: 'bomb.pdf' }, { config: config({ limits: { maxDecompressedBytes: 8 * 1024 * 1024 } }) }), 'RESOURCE_LIMIT', 5000, 40);
  });

  test('the budgets themselves: decompressed bytes counted, rendered pixels charged at ocr.dpi', async () => {
    assert.ok((await checkDecompressedSize(new Uint8Array(flateBombPdf(2)), 4 * 1024 * 1024)) >= 2 * 1024 * 1024);
    await assert.rejects(checkDecompressedSize(new Uint8Array(flateBombPdf(2)), 1024 * 1024), { code: 'RESOURCE_LIMIT' });
    const budget = new RenderBudget(2 * 2481 * 3508, 300);
    budget.charge(595.28, 841.89, 1); // A4 at 300 dpi: 2481 x 3508
    budget.charge(595.28, 841.89, 2);
    assert.throws(() => budget.charge(595.28, 841.89, 3), { code: 'RESOURCE_LIMIT' });
  });

  test('the CLI on the reused page tree exits 1 with TOO_MANY_PAGES (it used to abort with 133)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'll-poison-'));
    try {
      await writeFile(join(dir, 'tree.pdf'), reusedPageTreePdf());
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'extract', join(dir, 'tree.pdf')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stdout + run.stderr, /TOO_MANY_PAGES/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the OCR sandbox: time limit, heap cap, exit signals', () => {
  const fixture = join(root, 'test/service-stages.fixture.ts');
  const childFile = join(root, 'workers/ocr.child.ts');
  const pool = (overrides: ConfigInput) => {
    const c = config(overrides);
    return new SandboxPool({
      childFile, size: 1, timeoutMs: c.limits.jobTimeoutMs, heapMb: c.limits.ocrChildHeapMb, rssMb: c.limits.ocrChildRssMb, log: silentLogger,
      env: { ...process.env, LEDGERLENS_SANDBOX_CONFIG: JSON.stringify(c), LEDGERLENS_SANDBOX_STAGES: fixture },
    });
  };

  test('child flags: the parent\'s loader is kept, test and heap flags are not; the heap cap is added', () => {
    assert.deepEqual(childExecArgv(['--import', 'tsx', '--test', '--max-old-space-size=8000', '--enable-source-maps'], 256), ['--import', 'tsx', '--enable-source-maps', '--max-old-space-size=256']);
  });

  test('exit signals map to codes', () => {
    const o = { timeoutMs: 1000, rssMb: 100 };
    const cases: [number | null, NodeJS.Signals | null, 'timeout' | 'memory' | null, string, boolean][] = [
      [null, 'SIGKILL', 'timeout', 'RESOURCE_LIMIT', true], [null, 'SIGKILL', 'memory', 'RESOURCE_LIMIT', true],
      [null, 'SIGABRT', null, 'RESOURCE_LIMIT', true], [133, null, null, 'RESOURCE_LIMIT', true], [null, 'SIGTRAP', null, 'RESOURCE_LIMIT', true],
      [null, 'SIGKILL', null, 'RESOURCE_LIMIT', false], [3, null, null, 'OCR_FAILED', false], [null, 'SIGTERM', null, 'OCR_FAILED', false],
    ];
    for (const [code, signal, killed, expected, permanent] of cases) {
      const err = childExitError(code, signal, killed, o);
      assert.ok(err.message.startsWith(`${expected}: `), `${code}/${signal}/${killed}: ${err.message}`);
      assert.equal(err.name === 'UnrecoverableError', permanent, `${code}/${signal}/${killed} permanent`);
    }
  });

  test('limits.jobTimeoutMs: a job past it is stopped (RESOURCE_LIMIT, permanent) and the next job gets a fresh child', async () => {
    const p = pool({ limits: { jobTimeoutMs: 1500 } });
    try {
      const t0 = Date.now();
      await assert.rejects(p.run(new Uint8Array(testDocument(['SLOW:30000'])), 'slow.pdf'), (err: Error) => err.name === 'UnrecoverableError' && /^RESOURCE_LIMIT: .*jobTimeoutMs/.test(err.message));
      assert.ok(Date.now() - t0 < 10_000, `stopped after ${Date.now() - t0} ms`);
      const out = await p.run(new Uint8Array(testDocument(['Invoice INV-1', 'Total 1.00 EUR'])), 'ok.pdf');
      assert.equal(out.kind, 'text');
    } finally {
      p.close();
    }
  });

  test('the heap cap (--max-old-space-size): a child that exhausts it aborts, RESOURCE_LIMIT', async () => {
    const p = pool({ limits: { ocrChildHeapMb: 96, jobTimeoutMs: 60_000 } });
    try {
      await assert.rejects(p.run(new Uint8Array(testDocument(['ALLOC:2000'])), 'greedy.pdf'), (err: Error) => err.name === 'UnrecoverableError' && /^RESOURCE_LIMIT: /.test(err.message));
    } finally {
      p.close();
    }
  });

  test('a child that exits: OCR_FAILED (retried); a permanent stage error keeps its code', async () => {
    const p = pool({});
    try {
      await assert.rejects(p.run(new Uint8Array(testDocument(['CRASH:exit'])), 'exit.pdf'), (err: Error) => err.name !== 'UnrecoverableError' && /^OCR_FAILED: /.test(err.message));
      await assert.rejects(p.run(new Uint8Array(testDocument(['FAIL:CORRUPT'])), 'bad.pdf'), (err: unknown) => err instanceof LedgerlensError && err.code === 'CORRUPT_DOCUMENT');
    } finally {
      p.close();
    }
  });
});
