import { z } from 'zod';
import { BBoxSchema } from './document-text.js';

/** One entity found by the token classifier. start/end index into DocumentText.text (or the input text). */
export const EntitySpanSchema = z.object({
  label: z.string(),
  text: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  score: z.number().min(0).max(1),
  /** 1-based page number; null when the input was free text. */
  page: z.number().int().positive().nullable(),
  /** Union of the entity's word boxes on its page; null when the input was free text. */
  bbox: BBoxSchema.nullable(),
});
export type EntitySpan = z.infer<typeof EntitySpanSchema>;
