import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { COMMANDS } from '../src/cli/commands.js';
import { BIN, ensureBuilt, NO_MODEL_ENV, ROOT, run, runWithClosedStdout } from './cli-harness.js';
import { GERMAN_INVOICE, makePdf } from './pipeline-fixtures.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'ledgerlens-cli-'));
before(async () => {
  ensureBuilt();
  writeFileSync(join(dir, 'rechnung.pdf'), await makePdf([GERMAN_INVOICE]));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('help, version, exit codes', () => {
  test('no arguments: usage on stderr, nothing on stdout, status 2', () => {
    const r = run([]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^ledgerlens .*\n\nusage: ledgerlens <command>/);
  });

  test('--help / -h / help: every command with a one-line summary and an example, exit codes; status 0', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = run(args);
      assert.equal(r.status, 0, args.join(' '));
      assert.equal(r.stderr, '');
      for (const c of COMMANDS) {
        const width = Math.max(...COMMANDS.map((x) => x.name.length)) + 2;
        assert.ok(r.stdout.includes(`\n  ${c.name.padEnd(width)}${c.summary}\n  ${''.padEnd(width)}e.g. ${c.example}\n`), c.name);
      }
      assert.match(r.stdout, /exit status: 0 ok, 1 some documents failed, 2 usage error/);
    }
  });

  test('--version, -V and version print the package version', () => {
    for (const args of [['--version'], ['-V'], ['version']]) {
      const r = run(args);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, `${VERSION}\n`);
    }
  });

  test('-h / --help / help NAME on every command: its usage on stdout, status 0, nothing run', () => {
    const cases = [...COMMANDS.map((c) => [c.name, '--help']), ['extract', '-h'], ['text', 'x.pdf', '-h'], ['help', 'synth']];
    for (const c of COMMANDS) {
      for (const args of cases.filter((a) => a.includes(c.name))) {
        const r = run(args);
        assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^usage: ledgerlens ${c.name}`), args.join(' '));
        assert.equal(r.stderr, '');
      }
    }
  });

  test('an unknown command or option: status 2 with a hint on stderr', () => {
    const unknown = run(['frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
    const option = run(['extract', '--bogus', 'x.pdf']);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /^ledgerlens extract: .*bogus.*\nusage: ledgerlens extract/);
  });
});

describe('a reader that goes away (EPIPE)', () => {
  test('extract, text, --help and --version stop quietly with status 0 when stdout is closed', async () => {
    for (const args of [['extract', 'rechnung.pdf', 'rechnung.pdf'], ['text', 'rechnung.pdf', 'rechnung.pdf', 'rechnung.pdf'], ['--help'], ['--version']]) {
      const r = await runWithClosedStdout(args, { cwd: dir });
      assert.equal(r.signal, null, args.join(' '));
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '', `${args.join(' ')}: no stack trace, no summary`);
    }
  });

  test('`extract ... | head -n1` and `text ... | head -c 100` under pipefail: one line, status 0, nothing on stderr', () => {
    const files = Array.from({ length: 12 }, () => 'rechnung.pdf').join(' ');
    for (const [cmd, head] of [[`extract ${files}`, 'head -n1'], [`text --pretty ${files}`, 'head -c 100']] as const) {
      const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${cmd} | ${head}`], { cwd: dir, env: NO_MODEL_ENV, encoding: 'utf8' });
      assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
      assert.equal(r.stderr, '', cmd);
      if (head === 'head -n1') assert.equal((JSON.parse(r.stdout) as { invoiceNumber: string }).invoiceNumber, 'RE-2024-0815');
      else assert.equal(r.stdout.length, 100);
    }
  });
});

describe('ledgerlens text', () => {
  test('JSON Lines in argument order, - reads standard input, summary on stderr; --quiet silences it', () => {
    const pdf = readFileSync(join(dir, 'rechnung.pdf'));
    const r = run(['text', 'rechnung.pdf', '-', 'missing.pdf', '--jobs', '2'], { cwd: dir, input: pdf });
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source: { file: string | null }; text: string });
    assert.deepEqual(lines.map((l) => l.source.file), ['rechnung.pdf', null]);
    assert.equal(lines[0]!.text, lines[1]!.text);
    assert.match(r.stderr, /^ledgerlens text: missing\.pdf: NOT_FOUND: no such file: missing\.pdf\ntext: 3 documents, 1 failed, [\d.]+ s\n$/);
    const quiet = run(['text', '--quiet', 'rechnung.pdf'], { cwd: dir });
    assert.equal(quiet.status, 0);
    assert.equal(quiet.stderr, '');
  });
});
