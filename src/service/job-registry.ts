import { z } from 'zod';
import { LedgerlensError } from '../core/errors.js';

/**
 * The one registry of jobs: each job name maps to its queue and payload schema. Producer and worker
 * types are inferred from it; workers validate every payload on receipt (parseJob).
 * Job name = queue name: one queue per stage, so each role scales on its own.
 */
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest');

/** Webhook events (re-exported by webhooks.ts): declared here so the deliver payload names them once. */
export const WEBHOOK_EVENTS = ['record.created', 'record.updated', 'document.failed'] as const;

export const JOBS = {
  'invoice.ocr': z.object({ documentId: Sha256, fileName: z.string().nullable() }),
  'invoice.ner': z.object({ documentId: Sha256 }),
  'invoice.extract': z.object({ documentId: Sha256 }),
  /** One delivery of one event to one subscriber; record.updated names the record version it announces. */
  'invoice.deliver': z.object({
    documentId: Sha256,
    subscriptionId: z.string().min(1),
    event: z.enum(WEBHOOK_EVENTS),
    version: z.number().int().positive().optional(),
  }),
  /** The scheduled inbox scan (a job scheduler produces it). */
  'invoice.inbox': z.object({ dir: z.string().min(1) }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** The pipeline order, declared once: each stage hands its document to the next. */
export const PIPELINE = ['invoice.ocr', 'invoice.ner', 'invoice.extract'] as const satisfies readonly JobName[];
export type StageJobName = (typeof PIPELINE)[number];

/** Short role names used on the command line (`--queues ocr,ner`) and in job ids. */
export const ROLES = ['ocr', 'ner', 'extract', 'deliver', 'inbox'] as const;
export type Role = (typeof ROLES)[number];
export const roleOf = (name: JobName): Role => name.slice('invoice.'.length) as Role;
export const jobNameOf = (role: Role): JobName => `invoice.${role}`;

export function nextStage(name: StageJobName): StageJobName | null {
  const i = PIPELINE.indexOf(name);
  return PIPELINE[i + 1] ?? null;
}

/** Validates a payload on receipt; a malformed payload is permanent (retrying cannot fix it). */
export function parseJob<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  const result = JOBS[name].safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LedgerlensError('INVALID_INPUT', `malformed ${name} payload: ${problems}`);
  }
  return result.data as JobPayload<N>;
}

/**
 * Deterministic job ids make every enqueue idempotent: adding a job whose id exists is a no-op, so a
 * retried or recovered producer never creates a second job (BullMQ ids must not contain ':').
 */
export function jobIdFor<N extends JobName>(name: N, payload: JobPayload<N>): string {
  const role = roleOf(name);
  switch (name) {
    case 'invoice.deliver': {
      const p = payload as JobPayload<'invoice.deliver'>;
      // Each record version is its own event: a second correction is not deduplicated against the first.
      return `${role}-${p.event}-${p.documentId}-${p.subscriptionId}${p.version === undefined ? '' : `-v${p.version}`}`;
    }
    case 'invoice.inbox':
      return `${role}-${Date.now()}`;
    default:
      return `${role}-${(payload as { documentId: string }).documentId}`;
  }
}

/** The job id prefix tells which queue a failed job lives in. */
export function jobNameFromId(jobId: string): JobName | null {
  const role = jobId.split('-', 1)[0] as Role;
  return (ROLES as readonly string[]).includes(role) ? jobNameOf(role) : null;
}
