import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../../config/config.js';
import { LedgerlensError, toErrorInfo } from '../../core/errors.js';
import type { InvoiceRecord } from '../../core/invoice-record.js';
import { lineItemsCsvHeader, lineItemsCsvRows } from '../../export/csv.js';
import type { ExportFormat, ExportOptions } from '../../export/export-format.js';
import { errorItem, recordItem, type ExportItem } from '../../export/export-item.js';
import { EXPORT_FORMATS, findFormat, formatNames } from '../../export/format-registry.js';
import { jsonValue } from '../../export/json.format.js';
import { EXIT, type Command } from '../command.js';
import { COMMON_HELP, COMMON_OPTIONS, expandInputs, isSingleFile, jobsOption, readInput, safeOutputName } from '../inputs.js';
import { mapInOrder } from '../ordered-pool.js';
import { stdoutFlushed, type Output } from '../output.js';
import { Progress } from '../progress.js';

const formatList = (): string => EXPORT_FORMATS.map((f) => `  ${f.name.padEnd(16)} ${f.summary}`).join('\n');

const USAGE = `usage: ledgerlens extract [options] FILE|DIR|-...

Runs the whole pipeline (ocr, ner, extract) in this process on the default model; no Redis.
A DIR stands for the documents directly inside it (.pdf .png .jpg .jpeg .tif .tiff .webp .bmp .xml);
- reads one document from standard input. Documents are processed --jobs at a time; the output
keeps the order of the arguments.

formats (--format NAME):
${formatList()}

options:
  --format NAME      output format (default jsonl)
  --out DIR          write one file per input instead of printing: DIR/NAME.json (json, jsonl),
                     DIR/NAME.csv (csv, bookkeeping CSVs), DIR/NAME.xml, ... where NAME is the
                     input's file name (stdin for -); a failed input writes DIR/NAME.error.json
  --line-items FILE  also write the line items of every record as CSV (documentId, file, line,
                     description, quantity, unitPrice, amount, ...) to FILE
  --delimiter C      CSV field separator: , (default) or ; (config export.csv.delimiter)
  --decimal-comma    CSV amounts as 1234,50 (config export.csv.decimalComma)
  --no-embedded      ignore embedded e-invoice XML (Factur-X, ZUGFeRD): always read the page text
  --jobs N           documents processed at once (default: one per core)
${COMMON_HELP}

A file that fails yields {"source": {"file": ...}, "error": {"code", "message"}} (a CSV row with
errorCode) and the run goes on. Progress goes to stderr: one updating line on a terminal, a line
every 25 documents or 30 s otherwise, and a summary line at the end.
exit status: 0 all documents succeeded, 1 some failed, 2 usage error.

examples:
  ledgerlens extract invoice.pdf                         one record (JSON)
  ledgerlens extract invoices/ > records.jsonl           JSON Lines, one record per line
  ledgerlens extract invoices/ --format csv --delimiter ';' --decimal-comma --line-items items.csv > invoices.csv
  ledgerlens extract invoices/ --format datev > EXTF_Buchungsstapel.csv
  cat scan.jpg | ledgerlens extract -`;

/** Fields flagged for review in a record. */
function reviewCount(record: InvoiceRecord | null): number {
  return record ? Object.values(record.fields).filter((f) => f.review).length : 0;
}

function exportOptions(config: Config, values: { delimiter?: string | undefined; 'decimal-comma': boolean }, single: boolean, output: Output): ExportOptions {
  const delimiter = values.delimiter ?? config.export.csv.delimiter;
  if (delimiter !== ',' && delimiter !== ';') throw new LedgerlensError('USAGE', "--delimiter must be ',' or ';'");
  return {
    csv: { delimiter, decimalComma: values['decimal-comma'] || config.export.csv.decimalComma },
    settings: config.export,
    single,
    now: new Date(),
    report: (item, message) => output.err(`ledgerlens extract: ${item.file ?? '-'}: ${message}`),
  };
}

/** With --out: one file per input, in the format's per-document form; failures as NAME.error.json. */
function writeOne(dir: string, item: ExportItem, format: ExportFormat, options: ExportOptions, taken: Set<string>): ExportItem {
  const file = item.file ?? '-';
  if (item.record) {
    try {
      const one = format.kind === 'batch' && format.perDocument ? findFormat(format.perDocument) ?? format : format;
      const body = one.kind === 'document' ? one.write(item.record, options) : one.write([item], { ...options, single: true });
      writeFileSync(join(dir, safeOutputName(file, taken, one.extension)), body);
      return item;
    } catch (err) {
      item = errorItem(item.file, toErrorInfo(err), item.documentId);
    }
  }
  writeFileSync(join(dir, safeOutputName(file, taken, 'error.json')), `${JSON.stringify(jsonValue(item), null, 2)}\n`);
  return item;
}

const command: Command = {
  name: 'extract',
  usage: USAGE,
  async run(argv, output) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...COMMON_OPTIONS,
        format: { type: 'string', default: 'jsonl' },
        out: { type: 'string' },
        'line-items': { type: 'string' },
        delimiter: { type: 'string' },
        'decimal-comma': { type: 'boolean', default: false },
        'no-embedded': { type: 'boolean', default: false },
        jobs: { type: 'string' },
      },
    });
    if (positionals.length === 0) throw new LedgerlensError('USAGE', 'no input files');
    const format = findFormat(values.format);
    if (!format) throw new LedgerlensError('USAGE', `unknown --format ${values.format} (one of: ${formatNames().join(', ')})`);
    const jobs = jobsOption(values.jobs);
    const inputs = await expandInputs(positionals);
    const single = await isSingleFile(positionals);
    if (format.kind === 'document' && !values.out && !single) {
      throw new LedgerlensError('USAGE', `--format ${format.name} writes one document per file: give exactly one FILE, or --out DIR`);
    }
    const config = loadConfig({ file: values.config, overrides: values['no-embedded'] ? { embedded: false } : {} });
    const options = exportOptions(config, values, single, output);
    if (values.out) mkdirSync(values.out, { recursive: true });

    // Loaded here, not at the top: `ledgerlens extract --help` must not load pdfjs, tesseract or onnxruntime.
    const { processDocument } = await import('../../pipeline/process-document.js');
    const { closeOcrPool } = await import('../../document/ocr-pool.js');
    if (values.verbose) await preloadModel(config, output);

    const progress = new Progress({ label: 'extract', unit: 'documents', review: true, total: inputs.length, stream: output.stderr, quiet: values.quiet });
    output.progress = progress;
    const stream = !values.out && format.kind === 'batch' && format.stream ? format.stream(options) : null;
    if (stream?.head) output.out(stream.head);
    const collected: ExportItem[] = [];
    let lineItems = values['line-items'] ? lineItemsCsvHeader(options.csv) : null;
    const taken = new Set<string>();
    let failed = 0;

    const work = async (file: string): Promise<{ item: ExportItem; ms: number }> => {
      const started = Date.now();
      try {
        const record = await processDocument(await readInput(file), { file, config });
        return { item: recordItem(record, file, new Date().toISOString()), ms: Date.now() - started };
      } catch (err) {
        return { item: errorItem(file, toErrorInfo(err)), ms: Date.now() - started };
      }
    };
    const emit = ({ item, ms }: { item: ExportItem; ms: number }, i: number): void => {
      if (values.out) item = writeOne(values.out, item, format, options, taken);
      else if (stream) output.out(stream.item(item, i));
      else collected.push(item);
      if (item.error) failed++;
      if (lineItems !== null) lineItems += lineItemsCsvRows(item, options.csv);
      if (values.verbose) output.err(`[${i + 1}/${inputs.length}] ${item.file}: ${item.error ? item.error.code : 'ok'} (${ms} ms)`);
      progress.tick({ failed: item.error !== null, review: reviewCount(item.record) });
    };
    try {
      await mapInOrder(inputs, jobs, work, emit);
    } finally {
      await closeOcrPool(); // tesseract.js worker threads would keep the process alive
    }

    if (stream) output.out(stream.tail);
    else if (!values.out && format.kind === 'batch') output.out(format.write(collected, options));
    else if (!values.out && format.kind === 'document') failed += writeDocument(format, collected[0], options, output);
    if (lineItems !== null) writeFileSync(values['line-items']!, lineItems);
    await stdoutFlushed(output);
    progress.finish();
    return failed > 0 ? EXIT.someFailed : EXIT.ok;
  },
};
export default command;

/** One document in a one-document format to stdout, or its error to stderr. Returns 1 when writing it failed. */
function writeDocument(format: Extract<ExportFormat, { kind: 'document' }>, item: ExportItem | undefined, options: ExportOptions, output: Output): number {
  if (!item) return 0;
  let error = item.error;
  if (item.record) {
    try {
      output.out(format.write(item.record, options));
      return 0;
    } catch (err) {
      error = toErrorInfo(err);
    }
  }
  output.err(`ledgerlens extract: ${item.file ?? '-'}: ${error?.code}: ${error?.message}`);
  return item.record ? 1 : 0; // a document that failed earlier is already counted
}

/** --verbose: load the model bundle now, saying which provider runs (the pipeline then finds it loaded). */
async function preloadModel(config: Config, output: Output): Promise<void> {
  const { hasModel } = await import('../../pipeline/stages.js');
  if (!hasModel(config)) {
    output.err(`ledgerlens extract: no model bundle at ${config.model.dir}: fields are found by rules alone`);
    return;
  }
  const { loadModelBundle } = await import('../../ner/model-bundle.js');
  await loadModelBundle(config.model.dir, { provider: config.model.provider, verbose: true, log: (line) => output.err(line) });
}
