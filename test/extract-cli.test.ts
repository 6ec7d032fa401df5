import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expandInputs, safeOutputName } from '../src/cli/inputs.js';
import { LINE_ITEMS_HEADER, parseCsv, RECORDS_HEADER } from '../src/export/csv.js';
import * as fx from '../src/document/testing/fixtures.js';
import { BIN, ensureBuilt, NO_MODEL_ENV, run, visibleLines } from './cli-harness.js';
import { GERMAN_INVOICE, makePdf } from './pipeline-fixtures.js';

type Line = { source: { file: string }; error?: { code: string }; total?: string; invoiceNumber?: string };
const SUMMARY = /^extract: (\d+) documents?, (\d+) failed, (\d+) fields? under review, [\d.]+ s\n$/;

describe('ledgerlens extract (the built binary)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-extract-'));
  const cli = (args: string[], input?: Uint8Array) => run(['extract', ...args], { cwd: dir, ...(input ? { input } : {}) });
  before(async () => {
    ensureBuilt();
    writeFileSync(join(dir, 'rechnung.pdf'), await makePdf([GERMAN_INVOICE]));
    writeFileSync(join(dir, 'notes.txt'), 'not an invoice');
    writeFileSync(join(dir, 'scan.png'), (await fx.makeScanPng(300)).png);
    mkdirSync(join(dir, 'one'));
    writeFileSync(join(dir, 'one', 'only.pdf'), readFileSync(join(dir, 'rechnung.pdf')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('jsonl (the default): one line per input in argument order, failures included, exit 1; a summary line on stderr', () => {
    const r = cli(['missing.pdf', './rechnung.pdf', 'notes.txt', 'rechnung.pdf', '--jobs', '2']);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    assert.deepEqual(lines.map((l) => l.source.file), ['missing.pdf', './rechnung.pdf', 'notes.txt', 'rechnung.pdf']);
    assert.equal(lines[0]!.error?.code, 'NOT_FOUND');
    assert.equal(lines[1]!.total, '295.12');
    assert.equal(lines[2]!.error?.code, 'UNSUPPORTED_MEDIA_TYPE');
    const m = SUMMARY.exec(r.stderr);
    assert.ok(m, `only the summary on stderr: ${r.stderr}`);
    assert.deepEqual([m[1], m[2]], ['4', '2']);
  });

  it('json: one object for exactly one FILE argument, an array otherwise (also for a folder holding one file)', () => {
    const one = cli(['--format', 'json', 'rechnung.pdf']);
    assert.equal(one.status, 0, one.stderr);
    assert.equal((JSON.parse(one.stdout) as Line).invoiceNumber, 'RE-2024-0815');
    const two = cli(['--format', 'json', 'rechnung.pdf', 'rechnung.pdf']);
    assert.equal((JSON.parse(two.stdout) as Line[]).length, 2);
    const folder = cli(['--format', 'json', 'one']);
    assert.deepEqual((JSON.parse(folder.stdout) as Line[]).map((l) => l.source.file), [join('one', 'only.pdf')]);
    const defaultOne = cli(['rechnung.pdf']);
    assert.equal(defaultOne.stdout.trim().split('\n').length, 1, 'jsonl: one line');
    assert.equal((JSON.parse(defaultOne.stdout) as Line).invoiceNumber, 'RE-2024-0815');
  });

  it('- reads the document from standard input', () => {
    const r = cli(['-'], readFileSync(join(dir, 'rechnung.pdf')));
    assert.equal(r.status, 0, r.stderr);
    const record = JSON.parse(r.stdout) as Line;
    assert.equal(record.source.file, '-');
    assert.equal(record.total, '295.12');
  });

  it('--out DIR writes NAME.json for json/jsonl, NAME.csv for csv, NAME.error.json for a failure', () => {
    const json = join(dir, 'out-json');
    assert.equal(cli(['--out', json, 'rechnung.pdf', './rechnung.pdf']).status, 0);
    assert.deepEqual(readdirSync(json).sort(), ['rechnung.pdf-2.json', 'rechnung.pdf.json']);
    assert.equal((JSON.parse(readFileSync(join(json, 'rechnung.pdf.json'), 'utf8')) as Line).total, '295.12');
    const csv = join(dir, 'out-csv');
    const r = cli(['--format', 'csv', '--out', csv, 'rechnung.pdf', 'notes.txt']);
    assert.equal(r.status, 1);
    assert.deepEqual(readdirSync(csv).sort(), ['notes.txt.error.json', 'rechnung.pdf.csv']);
    const rows = parseCsv(readFileSync(join(csv, 'rechnung.pdf.csv'), 'utf8'));
    assert.deepEqual(rows[0], [...RECORDS_HEADER]);
    assert.equal(rows[1]![RECORDS_HEADER.indexOf('total')], '295.12');
    assert.equal((JSON.parse(readFileSync(join(csv, 'notes.txt.error.json'), 'utf8')) as Line).error?.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('csv: the one column set, ; and decimal commas on request, line items as a second CSV with the document id', () => {
    const items = join(dir, 'items.csv');
    const r = cli(['--format', 'csv', '--delimiter', ';', '--decimal-comma', '--line-items', items, 'rechnung.pdf', 'notes.txt']);
    assert.equal(r.status, 1);
    const rows = parseCsv(r.stdout, ';');
    assert.deepEqual(rows[0], [...RECORDS_HEADER]);
    const col = (name: string, row = 1) => rows[row]![RECORDS_HEADER.indexOf(name)];
    assert.equal(col('file'), 'rechnung.pdf');
    assert.equal(col('vendor.name'), 'Musterbau GmbH');
    assert.equal(col('total'), '295,12');
    assert.equal(col('warnings'), 'NO_MODEL');
    assert.equal(col('errorCode', 2), 'UNSUPPORTED_MEDIA_TYPE');
    const lineRows = parseCsv(readFileSync(items, 'utf8'), ';');
    assert.deepEqual(lineRows[0], [...LINE_ITEMS_HEADER]);
    assert.ok(lineRows.length >= 3, 'two line items');
    assert.equal(lineRows[1]![0], col('documentId'));
    assert.deepEqual(lineRows.slice(1).map((l) => l[2]), lineRows.slice(1).map((_, i) => String(i + 1)));
    assert.ok(lineRows.some((l) => l[LINE_ITEMS_HEADER.indexOf('amount')] === '198,00'), JSON.stringify(lineRows));
  });

  it('quiet by default: no provider line, only the summary; --quiet: nothing; --verbose: a line per document', () => {
    const quiet = cli(['--quiet', 'rechnung.pdf']);
    assert.equal(quiet.stderr, '');
    const verbose = cli(['--verbose', 'rechnung.pdf']);
    assert.match(verbose.stderr, /\[1\/1\] rechnung\.pdf: ok \(\d+ ms\)\n/);
  });

  it('on a terminal: one line redrawn in place with done/total, rate, failures, then the summary', { skip: !existsSync('/usr/bin/script') && 'needs script(1) for a pseudo-terminal' }, () => {
    // enough documents that the run outlasts the progress line's 0.5 s delay on an idle machine
    const files = Array.from({ length: 39 }, () => 'rechnung.pdf').join(' ');
    const cmd = `"${process.execPath}" "${BIN}" extract --jobs 1 --out "${join(dir, 'tty-out')}" ${files} notes.txt`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: NO_MODEL_ENV, encoding: 'utf8', timeout: 180_000 });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /\r\x1b\[Kextract \d+\/40 \(\d+%\), [\d.]+ documents\/s, (ETA [^,]+, )?\d failed/);
    assert.match(r.stdout, /\r\x1b\[Kextract: 40 documents, 1 failed, \d+ fields? under review, [\d.]+ s\r?\n/);
  });

  it('on a terminal with stdout into `| head -n1`: the terminal shows the one record and nothing else', { skip: !existsSync('/usr/bin/script') && 'needs script(1) for a pseudo-terminal' }, () => {
    // the scan takes seconds (OCR), so the progress line is drawn before the first record arrives
    const cmd = `"${process.execPath}" "${BIN}" extract --jobs 1 scan.png rechnung.pdf rechnung.pdf rechnung.pdf | head -n1`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: NO_MODEL_ENV, encoding: 'utf8', timeout: 180_000 });
    assert.match(r.stdout, /\r\x1b\[Kextract 0\/4/, 'a progress line was drawn');
    const shown = visibleLines(r.stdout);
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.equal((JSON.parse(shown[0]!) as Line).source.file, 'scan.png');
  });

  it('exits 2 on usage errors', () => {
    assert.equal(cli([]).status, 2);
    assert.equal(cli(['--format', 'xml', 'rechnung.pdf']).status, 2);
    assert.equal(cli(['--bogus', 'rechnung.pdf']).status, 2);
    assert.equal(cli(['--jobs', '0', 'rechnung.pdf']).status, 2);
    assert.equal(cli(['-', '-']).status, 2);
    assert.equal(cli(['--delimiter', '|', 'rechnung.pdf']).status, 2);
  });
});

describe('extract input helpers', () => {
  it('expandInputs: a directory stands for the documents directly inside it, sorted; files and - stay as given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-expand-'));
    for (const name of ['b.pdf', 'a.JPG', 'notes.json', 'c.xml']) writeFileSync(join(dir, name), 'x');
    mkdirSync(join(dir, 'expected'));
    writeFileSync(join(dir, 'expected', 'd.pdf'), 'x');
    const explicit = join(dir, 'notes.json');
    assert.deepEqual(await expandInputs([dir, explicit, 'missing.pdf', '-']),
      [join(dir, 'a.JPG'), join(dir, 'b.pdf'), join(dir, 'c.xml'), explicit, 'missing.pdf', '-']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes safe, unique output names with the format extension', () => {
    const taken = new Set<string>();
    assert.equal(safeOutputName('../../etc/passwd', taken), 'passwd.json');
    assert.equal(safeOutputName('a dir/Rechnung März.pdf', taken), 'Rechnung_M_rz.pdf.json');
    assert.equal(safeOutputName('/x/passwd', taken), 'passwd-2.json');
    assert.equal(safeOutputName('..', taken), '_.json');
    assert.equal(safeOutputName('-', taken, 'csv'), 'stdin.csv');
  });
});
