import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import { DocumentTextSchema, type DocumentText } from '../../core/document-text.js';
import { LedgerlensError } from '../../core/errors.js';
import { AGGREGATIONS, type AggregationStrategy } from '../../ner/aggregation.js';
import { loadModelBundle, type ExecutionProvider } from '../../ner/model-bundle.js';
import { runNer } from '../../ner/ner.stage.js';
import { classifyText, type NerOptions } from '../../ner/token-classifier.js';
import type { Command } from '../command.js';

const USAGE = `usage: ledgerlens ner [--model DIR] [options] "some text"
       ledgerlens ner [--model DIR] [options] --file doc.json

Runs the token classifier and prints the entities as JSON.
  text        pipeline-style entities (entity_group, score, word, start, end; under
              --aggregation none: entity, score, index, word, start, end)
  --file F    a DocumentText (as printed by \`ledgerlens text\`): EntitySpans with page and bbox;
              or a plain {"text": "..."}: pipeline-style entities. JSON Lines (several
              documents) print one JSON array per line.

options:
  --model DIR          model bundle (default: config model.textDir, models/ledgerlens-text, for
                       plain text; config model.dir, models/ledgerlens-invoice, for documents)
  --provider P         cpu | cuda | webgpu (default: config model.provider; falls back to cpu)
  --aggregation A      none | simple | first | average | max (default first)
  --stride N           tokens shared by consecutive windows (default: config model.stride)
  --max-length N       window length in tokens (default: the model's maximum)
  --batch-size N       windows per run (default: config model.batchSize)
  --ignore L1,L2       labels/groups to drop (default O; "" keeps everything)
  --bio                BIO-constrained (Viterbi) decoding
  -v, --verbose        say which provider runs (a fallback to cpu is always reported)`;

export function intOption(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new LedgerlensError('USAGE', `--${name} must be an integer >= ${min}`);
  return n;
}

type Input = { kind: 'text'; text: string } | { kind: 'doc'; doc: DocumentText };

function toInput(json: unknown, where: string): Input {
  const obj = json as { pages?: unknown; text?: unknown } | null;
  if (obj && typeof obj === 'object' && obj.pages !== undefined) {
    const parsed = DocumentTextSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LedgerlensError('INVALID_INPUT', `${where} is not a DocumentText: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return { kind: 'doc', doc: parsed.data };
  }
  if (obj && typeof obj === 'object' && typeof obj.text === 'string') return { kind: 'text', text: obj.text };
  throw new LedgerlensError('INVALID_INPUT', `${where}: expected a DocumentText or {"text": "..."}`);
}

/** One JSON document, or JSON Lines (what `ledgerlens text` prints for several files). */
function readInputs(file: string): Input[] {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LedgerlensError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return [toInput(JSON.parse(raw), file)];
  } catch (err) {
    if (err instanceof LedgerlensError) throw err;
  }
  return raw.split(/\r?\n/).map((line, i) => ({ line, i })).filter(({ line }) => line.trim() !== '').map(({ line, i }) => {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new LedgerlensError('INVALID_INPUT', `${file}:${i + 1} is not JSON: ${(err as Error).message}`);
    }
    return toInput(json, `${file}:${i + 1}`);
  });
}

const command: Command = {
  name: 'ner',
  usage: USAGE,
  async run(argv, output) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string' }, provider: { type: 'string' }, verbose: { type: 'boolean', short: 'v', default: false }, file: { type: 'string' },
        aggregation: { type: 'string' }, stride: { type: 'string' }, 'max-length': { type: 'string' },
        'batch-size': { type: 'string' }, ignore: { type: 'string' }, bio: { type: 'boolean', default: false },
      },
    });
    if ((values.file === undefined) === (positionals.length === 0)) throw new LedgerlensError('USAGE', 'give either text or --file');
    const aggregation = (values.aggregation ?? 'first') as AggregationStrategy;
    if (!AGGREGATIONS.includes(aggregation)) throw new LedgerlensError('USAGE', `--aggregation must be one of ${AGGREGATIONS.join(', ')}`);
    const provider = values.provider as ExecutionProvider | undefined;
    if (provider !== undefined && !['cpu', 'cuda', 'webgpu'].includes(provider)) throw new LedgerlensError('USAGE', '--provider must be cpu, cuda or webgpu');
    const config = loadConfig();
    const options: NerOptions = {
      aggregation,
      batchSize: intOption('batch-size', values['batch-size'], 1) ?? config.model.batchSize,
      bioConstrained: values.bio,
    };
    const maxLength = intOption('max-length', values['max-length'], 4);
    if (maxLength !== undefined) options.maxLength = maxLength;
    // The configured stride applies unless it would not fit a shorter --max-length (then the engine's default).
    const stride = intOption('stride', values.stride, 0);
    if (stride !== undefined) options.stride = stride;
    else if (maxLength === undefined || config.model.stride < maxLength / 2) options.stride = config.model.stride;
    if (values.ignore !== undefined) options.ignoreLabels = values.ignore.split(',').map((s) => s.trim()).filter(Boolean);

    const inputs: Input[] = values.file !== undefined ? readInputs(values.file) : [{ kind: 'text', text: positionals.join(' ') }];
    // Plain text goes to the bundle trained on running text, documents to the document bundle
    // (one --model serves both); loadModelBundle loads each once, when first needed.
    const bundleFor = (kind: Input['kind']) => loadModelBundle(values.model ?? (kind === 'doc' ? config.model.dir : config.model.textDir),
      { provider: provider ?? config.model.provider, verbose: values.verbose, log: (line) => output.err(line) });
    for (const input of inputs) {
      const entities = input.kind === 'doc'
        ? await runNer(await bundleFor('doc'), input.doc, options)
        : await classifyText(await bundleFor('text'), input.text, options);
      // One document: indented JSON; JSON Lines input (several documents): one line each.
      process.stdout.write(`${JSON.stringify(entities, null, inputs.length === 1 ? 2 : undefined)}\n`);
    }
    return 0;
  },
};
export default command;
