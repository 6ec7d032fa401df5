import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import { LedgerlensError } from '../../core/errors.js';
import { readLabelledFile } from '../../eval/conll.js';
import { evaluateModel } from '../../eval/evaluate-model.js';
import { classificationReport, type Scheme } from '../../eval/seqeval.js';
import { loadModelBundle, type ExecutionProvider } from '../../ner/model-bundle.js';
import type { Command } from '../command.js';
import { intOption } from './ner.command.js';

const USAGE = `usage: ledgerlens eval [--model DIR] --data FILE.conll [options]

Scores a model bundle on CoNLL data (word first, tag last; -DOCSTART- and blank lines) at word
level (each word takes its first subword's label) and prints a seqeval classification report.
A bundle whose labels are not chunk tags (B-X/I-X..., e.g. part-of-speech tags) is scored per
token: token accuracy and per-tag precision/recall/F1 over tokens.

options:
  --model DIR        model bundle (default: config model.dir)
  --data FILE        CoNLL file (required); or corpus JSON Lines (.jsonl: words, tags, boxes 0-1000),
                     whose boxes reach models with a bbox input
  --column N         the tag's column, 1-based (default: the last; 2 = CoNLL-2003 POS)
  --context C        sentence (default: each sentence on its own) | document (the sentences of a
                     -DOCSTART- document classified together; scores stay per sentence)
  --mode M           default (conlleval-compatible) | strict
  --scheme S         IOB1 | IOB2 | IOBES (strict mode; default IOB2)
  --digits N         decimals in the report (default 2)
  --bio              BIO-constrained decoding
  --provider P       cpu | cuda | webgpu
  --json             print the scores as JSON instead of the report`;

const command: Command = {
  name: 'eval',
  summary: 'score a model bundle on a CoNLL file (seqeval report)',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string' }, data: { type: 'string' }, mode: { type: 'string' }, scheme: { type: 'string' },
        digits: { type: 'string' }, bio: { type: 'boolean', default: false }, provider: { type: 'string' },
        json: { type: 'boolean', default: false }, column: { type: 'string' }, context: { type: 'string' },
      },
    });
    if (positionals.length > 0) throw new LedgerlensError('USAGE', `unexpected argument ${positionals[0]}`);
    if (!values.data) throw new LedgerlensError('USAGE', '--data FILE.conll is required');
    const mode = values.mode ?? 'default';
    if (mode !== 'default' && mode !== 'strict') throw new LedgerlensError('USAGE', '--mode must be default or strict');
    const scheme = (values.scheme ?? 'IOB2') as Scheme;
    if (!['IOB1', 'IOB2', 'IOBES'].includes(scheme)) throw new LedgerlensError('USAGE', '--scheme must be IOB1, IOB2 or IOBES');
    const provider = values.provider as ExecutionProvider | undefined;
    if (provider !== undefined && !['cpu', 'cuda', 'webgpu'].includes(provider)) throw new LedgerlensError('USAGE', '--provider must be cpu, cuda or webgpu');
    const digits = intOption('digits', values.digits, 0) ?? 2;
    const config = loadConfig();
    const column = intOption('column', values.column, 2);
    const context = values.context ?? 'sentence';
    if (context !== 'sentence' && context !== 'document') throw new LedgerlensError('USAGE', '--context must be sentence or document');
    const sentences = readLabelledFile(values.data, column === undefined ? {} : { column });
    if (sentences.length === 0) throw new LedgerlensError('INVALID_INPUT', `${values.data} holds no sentences`);
    const bundle = await loadModelBundle(values.model ?? config.model.dir, { provider: provider ?? config.model.provider });
    const started = performance.now();
    const result = await evaluateModel(bundle, sentences, {
      ner: { bioConstrained: values.bio, batchSize: config.model.batchSize, stride: config.model.stride },
      eval: mode === 'strict' ? { mode, scheme } : {},
      context,
    });
    const seconds = (performance.now() - started) / 1000;
    if (values.json) {
      const scoring = result.scoring === 'entities' ? { mode, ...(mode === 'strict' ? { scheme } : {}) } : {};
      process.stdout.write(`${JSON.stringify({ model: { name: bundle.name, version: bundle.version }, data: values.data, context, scoring: result.scoring, ...scoring, sentences: result.sentences, words: result.words, ...result.report }, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(`model ${bundle.name} ${bundle.version} on ${values.data}: ${result.sentences} sentences, ${result.words} words, ${seconds.toFixed(1)} s (${bundle.provider})\n`);
    process.stdout.write(result.scoring === 'entities'
      ? `mode ${mode}${mode === 'strict' ? ` (${scheme})` : ''}; token accuracy ${result.report.accuracy.toFixed(4)}\n\n`
      : `labels are not chunk tags: scored per token; token accuracy ${result.report.accuracy.toFixed(4)}\n\n`);
    process.stdout.write(classificationReport(result.report, digits));
    return 0;
  },
};
export default command;
