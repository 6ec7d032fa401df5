import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import type { DocumentText } from '../../core/document-text.js';
import { LedgerlensError, toErrorInfo, type ErrorCode } from '../../core/errors.js';
import { EXIT, type Command } from '../command.js';
import { COMMON_HELP, COMMON_OPTIONS, jobsOption, readInput } from '../inputs.js';
import { mapInOrder } from '../ordered-pool.js';
import { Progress } from '../progress.js';
import { stdoutFlushed } from '../output.js';

const USAGE = `usage: ledgerlens text [options] FILE|-...

Prints each file's DocumentText (pages, words with boxes, reading-order text) as JSON: one JSON
object per line, in argument order (JSON Lines; a single file prints a single object).
- reads one document from standard input. Documents are read --jobs at a time.
A file that fails is reported on stderr as "FILE: CODE: message" and the others still run.

options:
  --no-ocr         never OCR: images and text-less PDF pages come back without words
  --pretty         indent the JSON (one object per file, still in order)
  --jobs N         documents read at once (default: one per core)
${COMMON_HELP}

exit status: 0 all files read, 1 some failed, 2 usage error.

examples:
  ledgerlens text invoice.pdf | jq -r .text
  ledgerlens text --no-ocr *.pdf > texts.jsonl`;

const command: Command = {
  name: 'text',
  usage: USAGE,
  async run(argv, output) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...COMMON_OPTIONS,
        'no-ocr': { type: 'boolean', default: false },
        pretty: { type: 'boolean', default: false },
        jobs: { type: 'string' },
      },
    });
    if (positionals.length === 0) throw new LedgerlensError('USAGE', 'no FILE given');
    if (positionals.filter((p) => p === '-').length > 1) throw new LedgerlensError('USAGE', "'-' (standard input) can be given once");
    const jobs = jobsOption(values.jobs);
    const config = loadConfig(values.config ? { file: values.config } : {});
    // Loaded here: `ledgerlens text --help` must not load pdfjs or tesseract.
    const { readDocumentText } = await import('../../document/read-document.js');
    const { closeOcrPool } = await import('../../document/ocr-pool.js');
    const progress = new Progress({ label: 'text', unit: 'documents', total: positionals.length, stream: output.stderr, quiet: values.quiet });
    output.progress = progress;
    type Result = { file: string; text: DocumentText; ms: number } | { file: string; error: { code: ErrorCode; message: string }; ms: number };
    const work = async (file: string): Promise<Result> => {
      const started = Date.now();
      try {
        const text = await readDocumentText(await readInput(file), { file: file === '-' ? null : file, config, ocr: !values['no-ocr'] });
        return { file, text, ms: Date.now() - started };
      } catch (err) {
        return { file, error: toErrorInfo(err), ms: Date.now() - started };
      }
    };
    let failed = 0;
    const emit = (r: Result, i: number): void => {
      if ('text' in r) output.out(`${JSON.stringify(r.text, null, values.pretty ? 2 : undefined)}\n`);
      else {
        failed++;
        output.err(`ledgerlens text: ${r.file}: ${r.error.code}: ${r.error.message}`);
      }
      if (values.verbose) output.err(`[${i + 1}/${positionals.length}] ${r.file}: ${'text' in r ? 'ok' : r.error.code} (${r.ms} ms)`);
      progress.tick({ failed: !('text' in r) });
    };
    try {
      await mapInOrder(positionals, jobs, work, emit);
    } finally {
      await closeOcrPool(); // tesseract.js worker threads would keep the process alive
    }
    await stdoutFlushed(output);
    progress.finish();
    return failed > 0 ? EXIT.someFailed : EXIT.ok;
  },
};
export default command;
