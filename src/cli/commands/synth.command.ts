import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LedgerlensError } from '../../core/errors.js';
import { runCorpus } from '../../synth/corpus-run.js';
import { formatStats, statsOf } from '../../synth/corpus-stats.js';
import { LAYOUT_FAMILIES, type LayoutFamily } from '../../synth/invoice-model.js';
import type { CorpusLine } from '../../synth/label-projection.js';
import { LOCALE_IDS, type LocaleId } from '../../synth/locales.js';
import type { Command } from '../command.js';
import { Progress } from '../progress.js';

const usage = `usage: ledgerlens synth --count N --seed S --out DIR [options]

Generates synthetic invoices: NAME.pdf, NAME.expected.json (the ground-truth record), with --scans
NAME.scan.jpg (+ NAME.scan.expected.json for one-page invoices), and the labelled training corpus
corpus.jsonl (one line per page: words and boxes read by the document-text stage, IOB2 tags) with
manifest.jsonl (per invoice: layout, language, currency, formats, label coverage).
The same arguments give the same files.

options:
  --count N          invoices to make (default 10)
  --seed S           run seed (default 1)
  --out DIR          output folder (required)
  --scans            also make a degraded scan of each page (OCR-labelled: slow)
  --scan-share F     share of invoices that get scans with --scans, 0..1 (default 1)
  --lang L[,L...]    locales: ${LOCALE_IDS.join(', ')}
  --layout F[,F...]  layout families: ${LAYOUT_FAMILIES.join(', ')}
  --no-label         skip the text stage (PDFs and records only, fastest)
  --jobs N           worker threads; 0 = this thread, two invoices in flight
                     (default: 0 on 1-2 cores, where threads measured slower; else cores, at most 4)
  --stats            print corpus statistics at the end
  -q, --quiet        no progress and no summary line

Progress on stderr: one updating line on a terminal (done/total, rate, ETA), else a line every
25 invoices or 30 s; then a summary line with the label coverage.`;

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (!value) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new LedgerlensError('USAGE', `unknown ${what} '${item}' (one of: ${allowed.join(', ')})`);
  return items as T[];
}

function int(value: string | undefined, fallback: number, what: string, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new LedgerlensError('USAGE', `--${what} must be an integer >= ${min}`);
  return n;
}

const command: Command = {
  name: 'synth',
  usage,
  async run(argv, output) {
    const { values } = parseArgs({
      args: argv, allowPositionals: false,
      options: {
        count: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, scans: { type: 'boolean', default: false },
        'scan-share': { type: 'string' }, lang: { type: 'string' }, layout: { type: 'string' }, 'no-label': { type: 'boolean', default: false },
        jobs: { type: 'string' }, stats: { type: 'boolean', default: false }, quiet: { type: 'boolean', short: 'q', default: false },
      },
    });
    if (!values.out) throw new LedgerlensError('USAGE', '--out DIR is required');
    const count = int(values.count, 10, 'count', 1);
    const seed = int(values.seed, 1, 'seed');
    const cores = availableParallelism();
    const jobs = int(values.jobs, cores <= 2 ? 0 : Math.min(4, cores), 'jobs');
    const scanShare = values['scan-share'] === undefined ? 1 : Number(values['scan-share']);
    if (!(scanShare >= 0 && scanShare <= 1)) throw new LedgerlensError('USAGE', '--scan-share must be between 0 and 1');
    const progress = new Progress({ label: 'synth', unit: 'invoices', failures: false, total: count, stream: output.stderr, quiet: values.quiet });
    output.progress = progress;
    const entries = await runCorpus({
      count, seed, out: values.out, jobs, scan: values.scans, scanShare, label: !values['no-label'],
      locales: list<LocaleId>(values.lang, LOCALE_IDS, 'locale'), layouts: list<LayoutFamily>(values.layout, LAYOUT_FAMILIES, 'layout'),
      onProgress: (done) => progress.set({ done }),
    });
    const corpusFile = join(values.out, 'corpus.jsonl');
    const lines = values.stats && existsSync(corpusFile)
      ? readFileSync(corpusFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CorpusLine) : null;
    const stats = statsOf(entries, lines);
    const cov = stats.coverage;
    progress.finish([`label coverage PDF ${cov.pdf ?? '-'}, scan ${cov.scan ?? '-'}`, `written to ${values.out}`]);
    if (values.stats) output.out(formatStats(stats));
    return 0;
  },
};
export default command;
