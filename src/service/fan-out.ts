import type { ServiceContext } from './service-context.js';
import type { WebhookEvent } from './webhooks.js';

/**
 * One delivery job per subscriber of the document's tenant interested in the event; deterministic
 * job ids make a repeated fan-out (a recovered or repaired stage) a no-op. record.updated carries
 * the record version it announces.
 */
export async function fanOut(ctx: ServiceContext, documentId: string, event: WebhookEvent, version?: number): Promise<number> {
  const doc = await ctx.state.get(documentId);
  if (!doc) return 0;
  const subs = (await ctx.webhooks.list(doc.tenant)).filter((s) => s.events.includes(event));
  await Promise.all(subs.map((s) => ctx.queues.enqueue('invoice.deliver', { documentId, subscriptionId: s.id, event, ...(version === undefined ? {} : { version }) })));
  return subs.length;
}
