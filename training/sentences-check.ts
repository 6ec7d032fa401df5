/**
 * Whole-entity check of a bundle on plain sentences (training/sentences.json): an expected entity
 * counts when the pipeline ('first' aggregation) returns one of its type with the same text, a
 * trailing , . ; : and a leading # ignored; every other entity returned is a false one.
 *   node --import tsx training/sentences-check.ts [BUNDLE ...]   (default models/ledgerlens-text)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelBundle } from '../src/ner/model-bundle.js';
import { classifyText } from '../src/ner/token-classifier.js';

const here = dirname(fileURLToPath(import.meta.url));
const { sentences } = JSON.parse(readFileSync(join(here, 'sentences.json'), 'utf8')) as { sentences: { text: string; entities: string[] }[] };
const norm = (s: string) => s.replace(/[,.;:]+$/u, '').replace(/^(\w+) #/u, '$1 ');
const dirs = process.argv.slice(2);
for (const dir of dirs.length ? dirs : [join(here, '../models/ledgerlens-text')]) {
  const bundle = await loadModelBundle(dir, { log: () => {} });
  let whole = 0, expected = 0, returned = 0;
  for (const s of sentences) {
    const found = (await classifyText(bundle, s.text, { aggregation: 'first' })).map((e) => norm(`${e.entity_group} ${s.text.slice(e.start, e.end)}`));
    const want = s.entities.map(norm);
    const hits = want.filter((w) => found.includes(w));
    whole += hits.length; expected += want.length; returned += found.length;
    console.log(`${hits.length}/${want.length} | ${found.filter((f) => !want.includes(f)).map((f) => `extra ${f}`).concat(want.filter((w) => !found.includes(w)).map((w) => `missed ${w}`)).join(' | ')}`);
  }
  console.log(`${dir}: ${whole} of ${expected} expected entities whole, ${returned - whole} false or cut of ${returned} returned`);
}
