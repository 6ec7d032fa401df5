import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import { LedgerlensError, toErrorInfo } from '../../core/errors.js';
import { closeOcrPool } from '../../document/ocr-pool.js';
import { readDocumentText } from '../../document/read-document.js';
import type { Command } from '../command.js';

const USAGE = `usage: ledgerlens text [--no-ocr] [--pretty] [--config FILE] FILE...

Prints each file's DocumentText (pages, words with boxes, reading-order text) as JSON: one JSON
object per line, in argument order (JSON Lines; a single file prints a single object).
A file that fails is reported on stderr as "FILE: CODE: message" and the others still run.

  --no-ocr       never OCR: images and text-less PDF pages come back without words
  --pretty       indent the JSON (one object per file, still in order)
  --config FILE  JSON configuration file (see README)

Exit status: 0 all files read, 1 some failed, 2 usage error.`;

const command: Command = {
  name: 'text',
  summary: 'print the words, boxes and reading-order text of documents as JSON',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'no-ocr': { type: 'boolean', default: false },
        pretty: { type: 'boolean', default: false },
        config: { type: 'string' },
      },
    });
    if (positionals.length === 0) throw new LedgerlensError('USAGE', 'no FILE given');
    const config = loadConfig(values.config ? { file: values.config } : {});
    let failed = 0;
    try {
      for (const file of positionals) {
        try {
          let bytes: Uint8Array;
          try {
            bytes = await readFile(file);
          } catch (err) {
            throw new LedgerlensError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`);
          }
          const text = await readDocumentText(bytes, { file, config, ocr: !values['no-ocr'] });
          process.stdout.write(`${JSON.stringify(text, null, values.pretty ? 2 : undefined)}\n`);
        } catch (err) {
          failed++;
          const info = toErrorInfo(err);
          process.stderr.write(`ledgerlens text: ${file}: ${info.code}: ${info.message}\n`);
        }
      }
    } finally {
      await closeOcrPool(); // tesseract.js worker threads would keep the process alive
    }
    return failed > 0 ? 1 : 0;
  },
};
export default command;
