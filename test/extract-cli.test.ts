import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { expandInputs, safeOutputName, toCsv } from '../src/cli/commands/extract.command.js';
import { GERMAN_INVOICE, makePdf } from './pipeline-fixtures.js';

const MAIN = resolve(import.meta.dirname, '../src/cli/main.ts');
const env = { ...process.env, LEDGERLENS_MODEL_DIR: '/nonexistent/ledgerlens-model' };
// tsx by absolute URL: the commands run in a temporary folder, so that relative paths are tested as given
const TSX = import.meta.resolve('tsx');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, ['--import', TSX, MAIN, 'extract', ...args], { cwd, env, encoding: 'utf8', timeout: 120_000 });

describe('ledgerlens extract', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-extract-'));
  writeFileSync(join(dir, 'rechnung.pdf'), await makePdf([GERMAN_INVOICE]));
  writeFileSync(join(dir, 'notes.txt'), 'not an invoice');

  it('prints one JSON line per input, failures included, and exits 1 when one failed', () => {
    const r = cli(['--format', 'jsonl', './rechnung.pdf', 'missing.pdf', 'notes.txt'], dir);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source: { file: string }; error?: { code: string }; total?: string });
    assert.deepEqual(lines.map((l) => l.source.file), ['./rechnung.pdf', 'missing.pdf', 'notes.txt']);
    assert.equal(lines[0]!.total, '295.12');
    assert.equal(lines[1]!.error?.code, 'NOT_FOUND');
    assert.equal(lines[2]!.error?.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(r.stderr, '', 'no progress when stderr is not a terminal');
  });
  it('prints one record as JSON and exits 0', () => {
    const r = cli(['rechnung.pdf'], dir);
    assert.equal(r.status, 0, r.stderr);
    const record = JSON.parse(r.stdout) as { invoiceNumber: string; source: { file: string } };
    assert.equal(record.invoiceNumber, 'RE-2024-0815');
    assert.equal(record.source.file, 'rechnung.pdf');
  });
  it('writes NAME.json per input with --out', () => {
    const out = join(dir, 'out');
    const r = cli(['--out', out, 'rechnung.pdf', './rechnung.pdf'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['rechnung.pdf-2.json', 'rechnung.pdf.json']);
    assert.equal((JSON.parse(readFileSync(join(out, 'rechnung.pdf.json'), 'utf8')) as { total: string }).total, '295.12');
  });
  it('prints CSV rows', () => {
    const r = cli(['--format', 'csv', 'rechnung.pdf'], dir);
    assert.equal(r.status, 0, r.stderr);
    const [header, row] = r.stdout.trim().split('\r\n');
    assert.match(header!, /^file,vendor\.name,vendor\.address,/);
    assert.match(row!, /^rechnung\.pdf,Musterbau GmbH,/);
    assert.match(row!, /,295\.12,NO_MODEL,,$/);
  });
  it('exits 2 on usage errors', () => {
    assert.equal(cli([], dir).status, 2);
    assert.equal(cli(['--format', 'xml', 'rechnung.pdf'], dir).status, 2);
    assert.equal(cli(['--bogus', 'rechnung.pdf'], dir).status, 2);
  });
});

describe('extract command helpers', () => {
  it('expandInputs: a directory stands for the documents directly inside it, sorted; files stay as given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-expand-'));
    for (const name of ['b.pdf', 'a.JPG', 'notes.json', 'c.xml']) writeFileSync(join(dir, name), 'x');
    mkdirSync(join(dir, 'expected'));
    writeFileSync(join(dir, 'expected', 'd.pdf'), 'x');
    const explicit = join(dir, 'notes.json');
    assert.deepEqual(await expandInputs([dir, explicit, 'missing.pdf']),
      [join(dir, 'a.JPG'), join(dir, 'b.pdf'), join(dir, 'c.xml'), explicit, 'missing.pdf']);
  });

  it('makes safe, unique output names', () => {
    const taken = new Set<string>();
    assert.equal(safeOutputName('../../etc/passwd', taken), 'passwd.json');
    assert.equal(safeOutputName('a dir/Rechnung März.pdf', taken), 'Rechnung_M_rz.pdf.json');
    assert.equal(safeOutputName('/x/passwd', taken), 'passwd-2.json');
    assert.equal(safeOutputName('..', taken), '_.json');
  });
  it('quotes CSV cells', () => {
    const csv = toCsv([{ source: { file: 'a,"b".pdf' }, error: { code: 'NOT_FOUND', message: 'no\nsuch' } }]);
    assert.match(csv, /^"a,""b"".pdf",/m);
    assert.match(csv, /,NOT_FOUND,"no\nsuch"\r\n$/);
  });
});
