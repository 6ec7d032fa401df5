import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import { LedgerlensError } from '../../core/errors.js';
import { currentVersion, learn, learnedVersions, readVersion, rollback, setCurrent, type Validation } from '../../extract/learn/learned.js';
import { loadScorer } from '../../extract/scorer/load.js';
import type { Command } from '../command.js';

const USAGE = `usage: ledgerlens learn [--store DIR] [--model DIR] [--force] [--json]
       ledgerlens learn --list | --rollback | --use vN|none

Learns from the documents reviewed on the review page (<store>/examples): each reviewed document
becomes layout memory, so that the next document of the same vendor's layout is read the way the
reviewer corrected it. Before a new version is written, the reviewed documents are held back one
at a time and scored with the others' memory and without; the version is written (and put in use
at once by every process reading the store) only when they come out at least as right with it.
Versions are kept beside each other under <store>/learned; rolling back moves the pointer.

options:
  --store DIR     the service's store (default: config store.dir)
  --model DIR     model bundle whose scorer reads the memory (default: config model.dir)
  --force         write and use the new version even when validation finds it worse
  --list          list the learned versions and which one is in use
  --rollback      use the version before the current one (none before the first)
  --use V         use version V (v3, or none)
  --json          print the result as JSON

exit status: 0 learned (or listed, rolled back), 1 validation kept the current version, 2 usage`;

function describe(v: Validation): string {
  const pct = (a: number) => (v.fields ? `${((100 * a) / v.fields).toFixed(1)}%` : 'n/a');
  return `${v.documents} reviewed documents held back one at a time: ${pct(v.rightWith)} of ${v.fields} fields right with the others' memory, ${pct(v.rightWithout)} without`;
}

const command: Command = {
  name: 'learn',
  usage: USAGE,
  async run(argv, output) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        store: { type: 'string' }, model: { type: 'string' }, force: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false }, rollback: { type: 'boolean', default: false }, use: { type: 'string' }, json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 0) throw new LedgerlensError('USAGE', `unexpected argument ${positionals[0]}`);
    if ([values.list, values.rollback, values.use !== undefined].filter(Boolean).length > 1) throw new LedgerlensError('USAGE', 'give one of --list, --rollback, --use');
    const config = loadConfig();
    const store = values.store ?? config.store.dir;
    const print = (human: string, json: unknown) => process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
    if (values.list) {
      const current = currentVersion(store);
      const versions = learnedVersions(store).map((n) => { const v = readVersion(store, n); return { version: n, createdAt: v.createdAt, documents: v.documents, validation: v.validation, current: n === current }; });
      print(versions.length ? versions.map((v) => `${v.current ? '*' : ' '} v${v.version}  ${v.createdAt}  ${describe(v.validation)}`).join('\n') : `no learned versions in ${store}`, { current, versions });
      return 0;
    }
    if (values.rollback) {
      const now = rollback(store);
      print(`now using ${now === null ? 'no learned version' : `v${now}`}`, { current: now });
      return 0;
    }
    if (values.use !== undefined) {
      const m = /^v?(\d+)$/.exec(values.use);
      if (!m && values.use !== 'none') throw new LedgerlensError('USAGE', '--use takes a version (v3) or none');
      setCurrent(store, m ? Number(m[1]) : null);
      print(`now using ${m ? `v${m[1]}` : 'no learned version'}`, { current: m ? Number(m[1]) : null });
      return 0;
    }
    const modelDir = values.model ?? config.model.dir;
    const scorer = loadScorer(modelDir);
    if (!scorer.memory) throw new LedgerlensError('MODEL_INVALID', `${modelDir}: no scorer.json with a memory model (the rule scorer cannot learn); give --model, or refit with \`npm run fit-scorer\``);
    const result = learn(store, scorer, { force: values.force, log: (s) => output.err(s) });
    for (const s of result.skipped) output.err(`skipped ${s}`);
    print(result.version === null
      ? `kept the current version: ${describe(result.validation)} (use --force to write it anyway)`
      : `learned v${result.version} and put it in use: ${describe(result.validation)}`, result);
    return result.version === null ? 1 : 0;
  },
};
export default command;
