import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { LedgerlensError } from '../core/errors.js';
import type { Crf } from './crf-decode.js';
import { WORD_SPLITS, WordTokenizer, type WordSplit } from './word-tokenizer.js';

export type ExecutionProvider = 'cpu' | 'cuda' | 'webgpu';

export interface LoadBundleOptions {
  /** Requested provider; a GPU provider that fails to load falls back to cpu (logged). Default cpu. */
  provider?: ExecutionProvider;
  /** Where the provider line goes; default stderr. */
  log?: (line: string) => void;
}

/**
 * A token-classification model bundle in the Hugging Face export layout, loaded once per process
 * per (dir, provider): model.onnx, config.json, tokenizer.json (tokenizer_config.json optional), README.md.
 */
export interface ModelBundle {
  dir: string;
  /** config.json `ledgerlens.name`, else the folder name. */
  name: string;
  /** config.json `ledgerlens.version`, else "0". */
  version: string;
  modelType: string;
  /** Labels by class id (config.json id2label), as wide as the logits. */
  labels: string[];
  /** Longest input the model accepts, special tokens included. */
  maxLength: number;
  /** Provider actually running the session. */
  provider: ExecutionProvider;
  /** Graph inputs beyond input_ids and attention_mask. */
  inputs: { tokenTypeIds: boolean; bbox: boolean };
  /**
   * How free text is cut into words before tokenisation, as the training data was
   * (config.json `ledgerlens.word_split`): 'whitespace' (DocumentText's words), or 'bert'
   * (BertPreTokenizer: whitespace and every punctuation character), the default for other exports.
   */
  wordSplit: WordSplit;
  /**
   * Trained CRF transitions (config.json `ledgerlens.crf`: `transitions` k x k from -> to, `start`,
   * `end`), used to decode word units; null for bundles without a CRF layer.
   */
  crf: Crf | null;
  tokenizer: WordTokenizer;
  session: ort.InferenceSession;
  /** Name of the logits output (the first output). */
  outputName: string;
}

const REQUIRED_FILES = ['model.onnx', 'config.json', 'tokenizer.json', 'README.md'];
/** Position embeddings reserved by these model types before the first token (RoBERTa family). */
const POSITION_OFFSET: Record<string, number> = { roberta: 2, 'xlm-roberta': 2, camembert: 2, longformer: 2 };

const cache = new Map<string, Promise<ModelBundle>>();

function invalid(dir: string, message: string): LedgerlensError {
  return new LedgerlensError('MODEL_INVALID', `model bundle ${dir}: ${message}`);
}

function readJson(dir: string, file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw invalid(dir, `${file} is not valid JSON (${(err as Error).message})`);
  }
}

/** id2label as a dense array; label2id must agree with it. */
function readLabels(dir: string, config: Record<string, unknown>): string[] {
  const id2label = config.id2label as Record<string, unknown> | undefined;
  const label2id = config.label2id as Record<string, unknown> | undefined;
  if (!id2label || typeof id2label !== 'object') throw invalid(dir, 'config.json has no id2label');
  if (!label2id || typeof label2id !== 'object') throw invalid(dir, 'config.json has no label2id');
  const n = Object.keys(id2label).length;
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = id2label[String(i)];
    if (typeof label !== 'string') throw invalid(dir, `config.json id2label has no string label for id ${i}`);
    labels.push(label);
  }
  for (const [label, id] of Object.entries(label2id)) {
    if (labels[Number(id)] !== label) throw invalid(dir, `config.json label2id ${label}=${String(id)} disagrees with id2label`);
  }
  return labels;
}

function readWordSplit(dir: string, config: Record<string, unknown>): WordSplit {
  const raw = (config.ledgerlens as { word_split?: unknown } | undefined)?.word_split;
  if (raw === undefined) return 'bert';
  if (typeof raw !== 'string' || !WORD_SPLITS.includes(raw as WordSplit)) {
    throw invalid(dir, `config.json ledgerlens.word_split must be one of ${WORD_SPLITS.join(', ')} (got ${JSON.stringify(raw)})`);
  }
  return raw as WordSplit;
}

function readCrf(dir: string, config: Record<string, unknown>, k: number): Crf | null {
  const raw = (config.ledgerlens as { crf?: unknown } | undefined)?.crf as { transitions?: unknown; start?: unknown; end?: unknown } | undefined;
  if (raw === undefined || raw === null) return null;
  const vector = (v: unknown, name: string): number[] => {
    if (!Array.isArray(v) || v.length !== k || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw invalid(dir, `config.json ledgerlens.crf.${name} must hold ${k} finite numbers (one per label)`);
    }
    return v as number[];
  };
  if (!Array.isArray(raw.transitions) || raw.transitions.length !== k) {
    throw invalid(dir, `config.json ledgerlens.crf.transitions must be ${k} x ${k} (labels x labels)`);
  }
  return {
    transitions: Float64Array.from((raw.transitions as unknown[]).flatMap((row, i) => vector(row, `transitions[${i}]`))),
    start: Float64Array.from(vector(raw.start, 'start')),
    end: Float64Array.from(vector(raw.end, 'end')),
  };
}

function readMaxLength(dir: string, config: Record<string, unknown>, modelType: string): number {
  const raw = config.max_position_embeddings ?? config.max_length ?? config.n_positions;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 4) {
    throw invalid(dir, 'config.json needs max_position_embeddings or max_length (an integer >= 4)');
  }
  return raw - (config.max_position_embeddings === raw ? (POSITION_OFFSET[modelType] ?? 0) : 0);
}

async function createSession(dir: string, modelPath: string, provider: ExecutionProvider, log: (line: string) => void):
Promise<{ session: ort.InferenceSession; provider: ExecutionProvider }> {
  if (provider !== 'cpu') {
    try {
      // Severity 4 (fatal only): a missing GPU library is expected here and reported below instead.
      const session = await ort.InferenceSession.create(modelPath, { executionProviders: [provider], logSeverityLevel: 4 });
      log(`ledgerlens ner: model ${dir} runs on ${provider}`);
      return { session, provider };
    } catch (err) {
      log(`ledgerlens ner: provider ${provider} failed (${(err as Error).message.split('\n')[0]}); falling back to cpu`);
    }
  }
  try {
    const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], logSeverityLevel: 3 });
    log(`ledgerlens ner: model ${dir} runs on cpu`);
    return { session, provider: 'cpu' };
  } catch (err) {
    throw invalid(dir, `model.onnx cannot be loaded: ${(err as Error).message.split('\n')[0]}`);
  }
}

function logitsWidth(session: ort.InferenceSession): number | null {
  const meta = session.outputMetadata[0];
  if (!meta || !meta.isTensor) return null;
  const last = meta.shape[meta.shape.length - 1];
  return typeof last === 'number' ? last : null;
}

async function load(dir: string, provider: ExecutionProvider, log: (line: string) => void): Promise<ModelBundle> {
  if (!existsSync(dir)) throw invalid(dir, 'folder does not exist');
  const missing = REQUIRED_FILES.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw invalid(dir, `missing ${missing.join(', ')}`);
  const config = readJson(dir, 'config.json');
  const modelType = typeof config.model_type === 'string' ? config.model_type : '';
  if (!modelType) throw invalid(dir, 'config.json has no model_type');
  const labels = readLabels(dir, config);
  const wordSplit = readWordSplit(dir, config);
  const crf = readCrf(dir, config, labels.length);
  let maxLength = readMaxLength(dir, config, modelType);
  const tokenizerConfig = existsSync(join(dir, 'tokenizer_config.json')) ? readJson(dir, 'tokenizer_config.json') : {};
  const modelMax = tokenizerConfig.model_max_length;
  if (typeof modelMax === 'number' && modelMax > 0 && modelMax < maxLength) maxLength = modelMax;
  let tokenizer: WordTokenizer;
  try {
    tokenizer = new WordTokenizer(readJson(dir, 'tokenizer.json'), tokenizerConfig);
  } catch (err) {
    if (err instanceof LedgerlensError) throw err;
    throw invalid(dir, `tokenizer.json cannot be loaded: ${(err as Error).message}`);
  }

  const { session, provider: running } = await createSession(dir, join(dir, 'model.onnx'), provider, log);
  const names = session.inputNames;
  for (const required of ['input_ids', 'attention_mask']) {
    if (!names.includes(required)) throw invalid(dir, `the graph has no ${required} input (inputs: ${names.join(', ')})`);
  }
  const known = new Set(['input_ids', 'attention_mask', 'token_type_ids', 'bbox']);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw invalid(dir, `the graph has unsupported inputs: ${unknown.join(', ')}`);
  const outputName = session.outputNames[0];
  if (!outputName) throw invalid(dir, 'the graph has no output');

  const bundle: ModelBundle = {
    dir,
    name: typeof (config.ledgerlens as { name?: unknown } | undefined)?.name === 'string'
      ? (config.ledgerlens as { name: string }).name : basename(dir),
    version: typeof (config.ledgerlens as { version?: unknown } | undefined)?.version === 'string'
      ? (config.ledgerlens as { version: string }).version : '0',
    modelType,
    labels,
    maxLength,
    provider: running,
    inputs: { tokenTypeIds: names.includes('token_type_ids'), bbox: names.includes('bbox') },
    wordSplit,
    crf,
    tokenizer,
    session,
    outputName,
  };
  // The logits width must equal the label count: from the graph's metadata, else from a probe run.
  let width = logitsWidth(session);
  if (width === null) width = await probeWidth(bundle);
  if (width !== labels.length) {
    throw invalid(dir, `config.json has ${labels.length} labels but the model outputs ${width} logits per token`);
  }
  return bundle;
}

async function probeWidth(bundle: ModelBundle): Promise<number> {
  const { prefix, suffix } = bundle.tokenizer.specials;
  const ids = [...prefix, ...suffix];
  if (ids.length === 0) ids.push(0);
  const n = ids.length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
  };
  if (bundle.inputs.tokenTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n), [1, n]);
  if (bundle.inputs.bbox) feeds.bbox = new ort.Tensor('int64', new BigInt64Array(n * 4), [1, n, 4]);
  const out = await bundle.session.run(feeds);
  const dims = out[bundle.outputName]?.dims ?? [];
  return dims[dims.length - 1] ?? 0;
}

/** Loads (once per process per dir and provider) and validates a model bundle. Throws MODEL_INVALID. */
export function loadModelBundle(dir: string, options: LoadBundleOptions = {}): Promise<ModelBundle> {
  const abs = resolve(dir);
  const provider = options.provider ?? 'cpu';
  const key = `${abs}\u0000${provider}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = load(abs, provider, options.log ?? ((line) => process.stderr.write(`${line}\n`)));
    cache.set(key, pending);
    // A failed load is not cached: the folder may be fixed and loaded again.
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
