import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, extname, join } from 'node:path';
import { LedgerlensError } from '../core/errors.js';

/** File name endings taken from a directory argument; a file named explicitly is read whatever its name. */
const DOCUMENT_EXTENSIONS = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.bmp', '.xml']);

/** `-` as a FILE argument: standard input. */
export const STDIN = '-';

/**
 * Arguments with each directory replaced by the documents directly inside it, sorted by name.
 * `-` (standard input) stays; it may be given once.
 */
export async function expandInputs(args: string[]): Promise<string[]> {
  if (args.filter((a) => a === STDIN).length > 1) throw new LedgerlensError('USAGE', "'-' (standard input) can be given once");
  const out: string[] = [];
  for (const arg of args) {
    const isDir = arg !== STDIN && await stat(arg).then((s) => s.isDirectory(), () => false);
    if (!isDir) { out.push(arg); continue; }
    const names = (await readdir(arg, { withFileTypes: true }))
      .filter((e) => e.isFile() && DOCUMENT_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
    out.push(...names.map((name) => join(arg, name)));
  }
  return out;
}

/** True when the arguments name exactly one file (not a folder): `--format json` then prints one object. */
export async function isSingleFile(args: string[]): Promise<boolean> {
  if (args.length !== 1) return false;
  return args[0] === STDIN || !(await stat(args[0]!).then((s) => s.isDirectory(), () => false));
}

function readError(file: string, err: unknown): LedgerlensError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LedgerlensError('NOT_FOUND', `no such file: ${file}`);
  if (code === 'EISDIR') return new LedgerlensError('INVALID_INPUT', `${file} is a directory`);
  if (code === 'EACCES') return new LedgerlensError('INVALID_INPUT', `${file} is not readable`);
  return new LedgerlensError('INVALID_INPUT', `cannot read ${file}: ${(err as Error).message}`);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes of a FILE argument (`-`: all of standard input), read errors as coded LedgerlensErrors. */
export async function readInput(file: string): Promise<Uint8Array> {
  const bytes = file === STDIN ? await readStdin() : await readFile(file).catch((err: unknown) => { throw readError(file, err); });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A file name safe in any directory: the input's base name, unsafe characters replaced, unique in this run. */
export function safeOutputName(file: string, taken: Set<string>, extension = 'json'): string {
  const base = file === STDIN ? 'stdin' : basename(file);
  const stem = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_').slice(0, 200) || 'document';
  let name = `${stem}.${extension}`;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${stem}-${i}.${extension}`;
  taken.add(name.toLowerCase());
  return name;
}

/** `--jobs N`: documents processed at once; default one per core. */
export function jobsOption(raw: string | undefined): number {
  if (raw === undefined) return Math.max(1, availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new LedgerlensError('USAGE', '--jobs must be an integer >= 1');
  return n;
}

/** Options every document command takes. */
export const COMMON_OPTIONS = {
  quiet: { type: 'boolean', short: 'q', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  config: { type: 'string' },
} as const;

export const COMMON_HELP = `  -q, --quiet      no progress and no summary line (errors only)
  -v, --verbose    also one line per document, and which model provider runs
  --config FILE    JSON configuration file (see README; LEDGERLENS_CONFIG)`;
