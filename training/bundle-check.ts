/**
 * Loads a model bundle with onnxruntime-node and @huggingface/tokenizers (what the service uses),
 * checks ONNX-vs-PyTorch parity on the inputs export.py saved, and predicts word labels.
 *
 *   node --import tsx training/bundle-check.ts BUNDLE_DIR [PARITY_JSON] [--speed CORPUS.jsonl]
 *
 * Prediction here is a plain reference (one window per document, first piece per word, argmax):
 * the service's engine (src/ner) adds stride windows and aggregation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';

export interface Bundle {
  session: ort.InferenceSession;
  tokenizer: Tokenizer;
  config: { id2label: Record<string, string>; max_position_embeddings: number; pad_token_id: number };
  clsId: number;
  sepId: number;
}

export async function loadBundle(dir: string, threads = 2): Promise<Bundle> {
  const tokenizerJson = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as {
    model: { vocab: Record<string, number> };
  };
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Bundle['config'];
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  const vocab = tokenizerJson.model.vocab;
  const clsId = vocab['[CLS]'];
  const sepId = vocab['[SEP]'];
  if (clsId === undefined || sepId === undefined) throw new Error(`${dir}: tokenizer has no [CLS]/[SEP]`);
  return { session, tokenizer: new Tokenizer(tokenizerJson, {}), config, clsId, sepId };
}

function int64(values: number[], dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), dims);
}

/** Max |onnx - torch| over the logits export.py saved with its inputs. */
export async function parityMaxAbsDiff(bundle: Bundle, parityPath: string): Promise<number> {
  const p = JSON.parse(readFileSync(parityPath, 'utf8')) as {
    input_ids: number[][]; attention_mask: number[][]; bbox: number[][][]; logits: number[][][]; shape: number[];
  };
  const [b, s] = [p.input_ids.length, p.input_ids[0]?.length ?? 0];
  const out = await bundle.session.run({
    input_ids: int64(p.input_ids.flat(), [b, s]),
    attention_mask: int64(p.attention_mask.flat(), [b, s]),
    bbox: int64(p.bbox.flat(2), [b, s, 4]),
  });
  const logits = out['logits'];
  if (!logits) throw new Error('model has no logits output');
  const got = logits.data as Float32Array;
  const want = p.logits.flat(2);
  if (got.length !== want.length) throw new Error(`logits size ${got.length} != ${want.length}`);
  let max = 0;
  for (let i = 0; i < want.length; i += 1) max = Math.max(max, Math.abs((got[i] ?? 0) - (want[i] ?? 0)));
  return max;
}

/** Word labels for a batch of documents (words + 0-1000 boxes), each truncated to one window. */
export async function predictWords(bundle: Bundle, docs: { words: string[]; boxes?: number[][] }[]): Promise<string[][]> {
  const room = bundle.config.max_position_embeddings - 2;
  const rows = docs.map((doc) => {
    const ids = [bundle.clsId];
    const boxes: number[][] = [[0, 0, 0, 0]];
    const firsts: number[] = [];
    doc.words.forEach((w, i) => {
      let pieces = bundle.tokenizer.encode(w, { add_special_tokens: false }).ids;
      if (pieces.length === 0) pieces = [bundle.tokenizer.token_to_id('[UNK]') ?? 1];
      if (ids.length - 1 + pieces.length > room) return;
      firsts.push(ids.length);
      for (const id of pieces) {
        ids.push(id);
        boxes.push(doc.boxes?.[i] ?? [0, 0, 0, 0]);
      }
    });
    ids.push(bundle.sepId);
    boxes.push([1000, 1000, 1000, 1000]);
    return { ids, boxes, firsts };
  });
  const s = Math.max(...rows.map((r) => r.ids.length));
  const pad = bundle.config.pad_token_id;
  const ids: number[] = [];
  const mask: number[] = [];
  const boxes: number[] = [];
  for (const r of rows) {
    for (let k = 0; k < s; k += 1) {
      ids.push(r.ids[k] ?? pad);
      mask.push(k < r.ids.length ? 1 : 0);
      boxes.push(...(r.boxes[k] ?? [0, 0, 0, 0]));
    }
  }
  const out = await bundle.session.run({
    input_ids: int64(ids, [rows.length, s]),
    attention_mask: int64(mask, [rows.length, s]),
    bbox: int64(boxes, [rows.length, s, 4]),
  });
  const logits = out['logits'];
  if (!logits) throw new Error('model has no logits output');
  const data = logits.data as Float32Array;
  const n = logits.dims[2] ?? 0;
  return rows.map((r, b) => r.firsts.map((k) => {
    let best = 0;
    for (let j = 1; j < n; j += 1) if ((data[(b * s + k) * n + j] ?? 0) > (data[(b * s + k) * n + best] ?? 0)) best = j;
    return bundle.config.id2label[String(best)] ?? 'O';
  }));
}

async function main(argv: string[]): Promise<void> {
  const speedAt = argv.indexOf('--speed');
  const corpus = speedAt >= 0 ? argv[speedAt + 1] : undefined;
  const [dir, parity] = argv.filter((a, i) => !a.startsWith('--') && !(speedAt >= 0 && i === speedAt + 1));
  if (!dir) throw new Error('usage: bundle-check.ts BUNDLE_DIR [PARITY_JSON] [--speed CORPUS.jsonl]');
  const bundle = await loadBundle(dir);
  if (parity) console.log(JSON.stringify({ parityMaxAbsDiff: await parityMaxAbsDiff(bundle, parity) }));
  if (corpus) {
    const docs = readFileSync(corpus, 'utf8').split('\n').filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { words: string[]; boxes?: number[][] });
    await predictWords(bundle, docs.slice(0, 2));
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let words = 0;
    for (const doc of docs) words += (await predictWords(bundle, [doc]))[0]?.length ?? 0;
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    // On a shared machine wall time undercounts what 2 free cores do; CPU seconds show the cost itself.
    console.log(JSON.stringify({
      docs: docs.length, words, seconds: Number(s.toFixed(2)), wordsPerSecond: Math.round(words / s),
      cpuSeconds: Number(cpuSeconds.toFixed(2)), wordsPerCpuSecond: Math.round(words / cpuSeconds),
    }));
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
