import type { Command } from './command.js';

/**
 * Every subcommand with its one-line summary and an example: what the top-level help prints.
 * Modules are loaded on demand, so that `ledgerlens text` never loads the model runtime and
 * `ledgerlens --help` loads nothing.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  example: string;
  load: () => Promise<{ default: Command }>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'extract', summary: 'extract invoice records from PDFs, scans and photos (whole pipeline, one process, no Redis)',
    example: 'ledgerlens extract invoices/ --format csv > invoices.csv', load: () => import('./commands/extract.command.js'),
  },
  {
    name: 'text', summary: 'print the words, boxes and reading-order text of documents as JSON',
    example: 'ledgerlens text scan.jpg | jq -r .text', load: () => import('./commands/text.command.js'),
  },
  {
    name: 'ner', summary: 'run the token classifier on text or a DocumentText; print entities as JSON',
    example: 'ledgerlens ner "Invoice from Acme GmbH, total 1,234.50 EUR"', load: () => import('./commands/ner.command.js'),
  },
  {
    name: 'eval', summary: 'score a model bundle on a CoNLL file (seqeval report)',
    example: 'ledgerlens eval --data test.conll', load: () => import('./commands/eval.command.js'),
  },
  {
    name: 'learn', summary: 'learn from reviewed documents (layout memory), validate, and put the new version in use; --rollback',
    example: 'ledgerlens learn --store data', load: () => import('./commands/learn.command.js'),
  },
  {
    name: 'synth', summary: 'generate synthetic labelled invoices (PDFs, scans, records, training corpus)',
    example: 'ledgerlens synth --count 100 --seed 1 --out corpus/', load: () => import('./commands/synth.command.js'),
  },
  {
    name: 'corpus-stats', summary: 'print statistics of a synthetic corpus (layouts, languages, labels)',
    example: 'ledgerlens corpus-stats corpus/', load: () => import('./commands/corpus-stats.command.js'),
  },
  {
    name: 'serve', summary: 'run the HTTP API and every worker role in one process (needs Redis)',
    example: 'LEDGERLENS_AUTH_DISABLED=true ledgerlens serve --port 8080', load: () => import('./commands/serve.command.js'),
  },
  {
    name: 'worker', summary: 'run queue workers for chosen roles (ocr, ner, extract, deliver, inbox)',
    example: 'ledgerlens worker --queues ocr,ner', load: () => import('./commands/worker.command.js'),
  },
  {
    name: 'batch', summary: 'queue every file of a folder once, wait for the records, move files to processed/ or failed/',
    example: 'ledgerlens batch inbox/', load: () => import('./commands/batch.command.js'),
  },
  {
    name: 'version', summary: 'print the Ledgerlens version (also --version)',
    example: 'ledgerlens --version', load: () => import('./commands/version.command.js'),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
