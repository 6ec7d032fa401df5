import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { LedgerlensError } from '../../core/errors.js';
import type { ManifestEntry } from '../../synth/corpus-build.js';
import { formatStats, statsOf } from '../../synth/corpus-stats.js';
import type { CorpusLine } from '../../synth/label-projection.js';
import type { Command } from '../command.js';

async function readJsonl<T>(file: string): Promise<T[]> {
  const out: T[] = [];
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    try { out.push(JSON.parse(line) as T); } catch { throw new LedgerlensError('INVALID_INPUT', `${file}:${n}: not JSON`); }
  }
  return out;
}

const command: Command = {
  name: 'corpus-stats',
  usage: `usage: ledgerlens corpus-stats DIR [--json]

Reads DIR/manifest.jsonl and DIR/corpus.jsonl written by \`ledgerlens synth\` and prints counts per
layout, language, currency, date format, number format, document kind, corpus source and label,
with the label coverage rate.`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
    const dir = positionals[0];
    if (!dir || positionals.length > 1) throw new LedgerlensError('USAGE', 'one corpus folder expected');
    const manifestFile = join(dir, 'manifest.jsonl');
    if (!existsSync(manifestFile)) throw new LedgerlensError('NOT_FOUND', `${manifestFile} does not exist`);
    const corpusFile = join(dir, 'corpus.jsonl');
    const entries = await readJsonl<ManifestEntry>(manifestFile);
    const lines = existsSync(corpusFile) ? await readJsonl<CorpusLine>(corpusFile) : null;
    const stats = statsOf(entries, lines);
    process.stdout.write(values.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
    return 0;
  },
};
export default command;
