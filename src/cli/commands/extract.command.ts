import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import { LedgerlensError, toErrorInfo, type ErrorCode } from '../../core/errors.js';
import { CORE_FIELDS, getField, type InvoiceRecord } from '../../core/invoice-record.js';
import type { Command } from '../command.js';

const USAGE = `usage: ledgerlens extract FILE|DIR... [--format json|jsonl|csv] [--out DIR] [--no-embedded] [--config FILE]

Runs the whole pipeline (ocr, ner, extract) in this process on the default model; no Redis.
A DIR stands for the documents directly inside it (.pdf .png .jpg .jpeg .tif .tiff .webp .bmp .xml).
  --format json    one record (one file) or an array of records (several files); the default
  --format jsonl   one record per line, in input order
  --format csv     one row per file: source file, the core fields, warning codes, error
  --out DIR        write DIR/NAME.json per input instead of printing
  --no-embedded    ignore embedded e-invoice XML (Factur-X, ZUGFeRD): always read the page text
A file that fails yields {"source": {"file": ...}, "error": {"code", "message"}} and the run goes on.
Exit status: 0 all succeeded, 1 some failed, 2 usage error.`;

/** File name endings taken from a directory argument; a file named explicitly is read whatever its name. */
const DOCUMENT_EXTENSIONS = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.bmp', '.xml']);

/** Arguments with each directory replaced by the documents directly inside it, sorted by name. */
export async function expandInputs(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    const isDir = await stat(arg).then((s) => s.isDirectory(), () => false);
    if (!isDir) { out.push(arg); continue; }
    const names = (await readdir(arg, { withFileTypes: true }))
      .filter((e) => e.isFile() && DOCUMENT_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
    out.push(...names.map((name) => join(arg, name)));
  }
  return out;
}

type Result = InvoiceRecord | { source: { file: string }; error: { code: ErrorCode; message: string } };

const isError = (r: Result): r is Extract<Result, { error: unknown }> => 'error' in r;

function readError(file: string, err: unknown): LedgerlensError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LedgerlensError('NOT_FOUND', `no such file: ${file}`);
  if (code === 'EISDIR') return new LedgerlensError('INVALID_INPUT', `${file} is a directory`);
  if (code === 'EACCES') return new LedgerlensError('INVALID_INPUT', `${file} is not readable`);
  return new LedgerlensError('INVALID_INPUT', `cannot read ${file}: ${(err as Error).message}`);
}

/** A file name safe in any directory: the input's base name, unsafe characters replaced, unique in this run. */
export function safeOutputName(file: string, taken: Set<string>): string {
  const stem = basename(file).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_').slice(0, 200) || 'document';
  let name = `${stem}.json`;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${stem}-${i}.json`;
  taken.add(name.toLowerCase());
  return name;
}

function csvCell(v: string | null | undefined): string {
  const s = v ?? '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(results: Result[]): string {
  const header = ['file', ...CORE_FIELDS, 'warnings', 'errorCode', 'errorMessage'];
  const rows = results.map((r) => {
    if (isError(r)) return [r.source.file, ...CORE_FIELDS.map(() => ''), '', r.error.code, r.error.message];
    return [r.source.file ?? '', ...CORE_FIELDS.map((f) => getField(r, f)), r.warnings.map((w) => w.code).join(';'), '', ''];
  });
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const command: Command = {
  name: 'extract',
  summary: 'extract invoice records from files (whole pipeline, one process)',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'json' },
        out: { type: 'string' },
        'no-embedded': { type: 'boolean', default: false },
        config: { type: 'string' },
      },
    });
    if (positionals.length === 0) throw new LedgerlensError('USAGE', 'no input files');
    const inputs = await expandInputs(positionals);
    const format = values.format;
    if (format !== 'json' && format !== 'jsonl' && format !== 'csv') throw new LedgerlensError('USAGE', `unknown --format ${format} (json, jsonl or csv)`);
    const config = loadConfig({ file: values.config, overrides: values['no-embedded'] ? { embedded: false } : {} });
    if (values.out) mkdirSync(values.out, { recursive: true });

    // Loaded here, not at the top: `ledgerlens extract --help` must not load pdfjs, tesseract or onnxruntime.
    const { processDocument } = await import('../../pipeline/process-document.js');
    const { closeOcrPool } = await import('../../document/ocr-pool.js');
    const progress = process.stderr.isTTY ? (line: string) => process.stderr.write(`${line}\n`) : () => {};
    const results: Result[] = [];
    const taken = new Set<string>();
    let failed = 0;
    try {
      for (const [i, file] of inputs.entries()) {
        const started = Date.now();
        let result: Result;
        try {
          const bytes = await readFile(file).catch((err: unknown) => { throw readError(file, err); });
          const record = await processDocument(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { file, config });
          // source.file is exactly the argument as given, whatever path form it took
          result = { ...record, source: { ...record.source, file } };
        } catch (err) {
          failed++;
          result = { source: { file }, error: toErrorInfo(err) };
        }
        progress(`[${i + 1}/${inputs.length}] ${file}: ${isError(result) ? `${result.error.code}` : 'ok'} (${Date.now() - started} ms)`);
        if (values.out) {
          writeFileSync(join(values.out, safeOutputName(file, taken)), `${JSON.stringify(result, null, 2)}\n`);
        } else if (format === 'jsonl') {
          process.stdout.write(`${JSON.stringify(result)}\n`);
        } else {
          results.push(result);
        }
      }
    } finally {
      await closeOcrPool();
    }
    if (!values.out && format === 'json') {
      process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
    } else if (!values.out && format === 'csv') {
      process.stdout.write(toCsv(results));
    }
    return failed > 0 ? 1 : 0;
  },
};
export default command;
