import type { CandidateKind } from '../candidates.js';
import { gbdtMarginDense, sigmoid, type GbdtModel, type Sparse } from './gbdt.js';
import { applyIsotonic, type IsotonicModel } from './isotonic.js';
import { applyPlatt, type PlattModel } from './platt.js';
import type { MemoryModel } from '../memory.js';

export type CalibrationModel = IsotonicModel | PlattModel;

export function applyCalibration(m: CalibrationModel, score: number): number {
  return m.kind === 'platt' ? applyPlatt(m, score) : applyIsotonic(m, score);
}

/** The fields the scorer chooses (currency is read from the chosen amounts, line items by their own finder). */
export const SCORED_FIELDS = [
  'vendor.name', 'customer.name', 'vendor.address', 'customer.address', 'vendor.taxId',
  'invoiceNumber', 'invoiceDate', 'dueDate', 'subtotal', 'tax', 'total',
] as const;
export type ScoredField = (typeof SCORED_FIELDS)[number];

export const FIELD_KIND: Record<ScoredField, CandidateKind> = {
  'vendor.name': 'name', 'customer.name': 'name', 'vendor.address': 'address', 'customer.address': 'address',
  'vendor.taxId': 'taxId', invoiceNumber: 'id', invoiceDate: 'date', dueDate: 'date', subtotal: 'amount', tax: 'amount', total: 'amount',
};

/** Weights of the joint assignment's constraints (log-odds units), shipped with the scorer. */
export interface JointParams {
  /** subtotal + tax = total within 2 cents, all three chosen. */
  sumFits: number;
  /** all three chosen and they do not add up. */
  sumBreaks: number;
  /** the due date precedes the invoice date. */
  dueBeforeInvoice: number;
  /** an address chosen for a party sits under that party's chosen name. */
  ownerMatch: number;
}
export const DEFAULT_JOINT: JointParams = { sumFits: 3, sumBreaks: 1.5, dueBeforeInvoice: 4, ownerMatch: 1.5 };

/** One interface for the learned and the rule scorer. */
export interface FieldScorer {
  readonly name: string;
  /** P(candidate is the field's value | its features), before the joint assignment. */
  probability(field: ScoredField, row: Sparse): number;
  /** Log-odds of "the document prints no value for this field" against one candidate. */
  noneLogit(field: ScoredField): number;
  /** Calibrated confidence from the assignment's marginal probability. */
  calibrate(field: ScoredField, marginal: number): number;
  readonly joint: JointParams;
  /** The review threshold chosen with the scorer (out of fold), when it has one. */
  readonly reviewThreshold: number | null;
  /** Whether the token classifier's features feed it. */
  readonly usesNer: boolean;
  /** How recalled reviewed documents adjust its probabilities (src/extract/memory.ts), when it has that part. */
  readonly memory?: MemoryModel;
}

/** scorer.json, beside model.onnx in the model bundle. */
export interface ScorerFile {
  format: 'ledgerlens-scorer';
  version: 1;
  models: Partial<Record<ScoredField, GbdtModel>>;
  calibration: Partial<Record<ScoredField, CalibrationModel>>;
  none: Partial<Record<ScoredField, number>>;
  joint: JointParams;
  reviewThreshold: number;
  usesNer: boolean;
  /** What it was trained on, for the model card. */
  trainedOn: Record<string, number>;
  /** The layout-memory model (fitted with the scorer, on its training documents recalling each other). */
  memory?: MemoryModel;
}

export class LearnedScorer implements FieldScorer {
  readonly name = 'learned';
  /** Every feature any field model reads, in one index: a candidate's row becomes one dense vector. */
  private readonly index = new Map<string, number>();
  private readonly columns = new Map<ScoredField, Int32Array>();
  private readonly dense = new WeakMap<Sparse, Float64Array>();

  constructor(readonly file: ScorerFile) {
    for (const [field, m] of Object.entries(file.models) as Array<[ScoredField, GbdtModel]>) {
      this.columns.set(field, Int32Array.from(m.features, (name) => {
        if (!this.index.has(name)) this.index.set(name, this.index.size);
        return this.index.get(name)!;
      }));
    }
  }

  private vector(row: Sparse): Float64Array {
    let x = this.dense.get(row);
    if (!x) {
      x = new Float64Array(this.index.size);
      for (const k in row) {
        const j = this.index.get(k);
        const v = row[k]!;
        if (j !== undefined && Number.isFinite(v)) x[j] = v;
      }
      this.dense.set(row, x);
    }
    return x;
  }

  get joint(): JointParams { return this.file.joint; }
  get reviewThreshold(): number { return this.file.reviewThreshold; }
  get usesNer(): boolean { return this.file.usesNer; }
  get memory(): MemoryModel | undefined { return this.file.memory; }
  probability(field: ScoredField, row: Sparse): number {
    const m = this.file.models[field];
    return m ? sigmoid(gbdtMarginDense(m, this.vector(row), this.columns.get(field)!)) : 0;
  }
  noneLogit(field: ScoredField): number { return this.file.none[field] ?? 0; }
  calibrate(field: ScoredField, marginal: number): number {
    const c = this.file.calibration[field];
    return c ? applyCalibration(c, marginal) : marginal;
  }
}
