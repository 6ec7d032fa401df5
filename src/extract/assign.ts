import type { Candidate } from './candidates.js';
import type { JointParams, ScoredField } from './scorer/scorer.js';

/** A field's options: its top candidates with their probabilities, and the log-odds of "none". */
export interface FieldOptions { field: ScoredField; options: Array<{ c: Candidate; p: number }>; noneLogit: number }

/** The chosen value of a field and its marginal probability under the joint distribution. */
export interface Choice { c: Candidate | null; marginal: number }

/** Fields chosen together: values of one group constrain each other. */
const GROUPS: ScoredField[][] = [
  ['subtotal', 'tax', 'total'],
  ['invoiceDate', 'dueDate'],
  ['vendor.name', 'customer.name', 'vendor.address', 'customer.address'],
  ['invoiceNumber'], ['vendor.taxId'],
];

const logit = (p: number) => Math.log(Math.max(1e-6, p) / Math.max(1e-6, 1 - p));
const cents = (c: Candidate) => Math.round(Math.abs(Number(c.value)) * 100);

/** The constraints' contribution to a group's assignment, in log-odds. */
function constraints(pick: Map<ScoredField, Candidate | null>, j: JointParams): number {
  let s = 0;
  const sub = pick.get('subtotal'); const tax = pick.get('tax'); const total = pick.get('total');
  if (sub && tax && total) s += Math.abs(cents(sub) + cents(tax) - cents(total)) <= 2 ? j.sumFits : -j.sumBreaks;
  else if (sub && total && cents(sub) > cents(total)) s -= j.sumBreaks;
  const inv = pick.get('invoiceDate'); const due = pick.get('dueDate');
  if (inv && due && due.value < inv.value) s -= j.dueBeforeInvoice;
  for (const party of ['vendor', 'customer'] as const) {
    const name = pick.get(`${party}.name`); const addr = pick.get(`${party}.address`);
    if (name && addr && (addr.facts.ownerStart === name.start || (name.facts.joined && Number(addr.facts.owner) === name.lines[1]))) s += j.ownerMatch;
  }
  return s;
}

/** Values that may not fill two fields: the same candidate twice, or one party's name for both. */
function clash(pick: Map<ScoredField, Candidate | null>): boolean {
  const used = new Set<Candidate>();
  for (const c of pick.values()) { if (!c) continue; if (used.has(c)) return true; used.add(c); }
  const v = pick.get('vendor.name'); const cu = pick.get('customer.name');
  if (v && cu && v.value.toLowerCase() === cu.value.toLowerCase()) return true;
  const va = pick.get('vendor.address'); const ca = pick.get('customer.address');
  return !!(va && ca && va.value.toLowerCase() === ca.value.toLowerCase());
}

/**
 * Joint assignment: every combination of each group's top options (or none) is scored as the sum of
 * its fields' log-odds plus the constraints; the best combination wins, and each field's confidence
 * is the marginal probability of its chosen value over all combinations (a softmax).
 */
export function assign(fields: FieldOptions[], joint: JointParams): Map<ScoredField, Choice> {
  const byField = new Map(fields.map((f) => [f.field, f]));
  const out = new Map<ScoredField, Choice>();
  for (const group of GROUPS) {
    const members = group.filter((f) => byField.has(f)).map((f) => byField.get(f)!);
    if (!members.length) continue;
    const combos: Array<{ pick: Map<ScoredField, Candidate | null>; score: number }> = [];
    const walk = (i: number, pick: Map<ScoredField, Candidate | null>, score: number) => {
      if (i === members.length) {
        if (!clash(pick)) combos.push({ pick: new Map(pick), score: score + constraints(pick, joint) });
        return;
      }
      const m = members[i]!;
      pick.set(m.field, null); walk(i + 1, pick, score + m.noneLogit);
      for (const o of m.options) { pick.set(m.field, o.c); walk(i + 1, pick, score + logit(o.p)); }
      pick.delete(m.field);
    };
    walk(0, new Map(), 0);
    const top = Math.max(...combos.map((c) => c.score));
    const weights = combos.map((c) => Math.exp(c.score - top));
    const z = weights.reduce((a, b) => a + b, 0);
    const best = combos[weights.indexOf(1)]!;
    for (const m of members) {
      const chosen = best.pick.get(m.field) ?? null;
      // the marginal of the chosen value: combinations that give the field the same value agree
      let mass = 0;
      combos.forEach((c, i) => {
        const x = c.pick.get(m.field) ?? null;
        if ((x === null && chosen === null) || (x && chosen && x.value === chosen.value)) mass += weights[i]!;
      });
      out.set(m.field, { c: chosen, marginal: mass / z });
    }
  }
  return out;
}
