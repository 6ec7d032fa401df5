import type { FastifyInstance } from 'fastify';
import { LedgerlensError } from '../../core/errors.js';
import type { ServiceContext } from '../service-context.js';
import type { Subscription, SubscriptionInput as Input } from '../webhooks.js';
import { DeliveryLog, ERROR_RESPONSES, SubIdParams, SubscriptionBody, SubscriptionInput } from './schemas.js';

/** The secret is write-only: never returned. */
const view = ({ secret: _secret, ...rest }: Subscription) => rest;

export function webhookRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Body: Input }>('/v1/webhooks', {
    schema: { summary: 'Subscribe a URL to events (signed with HMAC-SHA256 over `${timestamp}.${body}`)', body: SubscriptionInput, response: { 201: SubscriptionBody, ...ERROR_RESPONSES } },
  }, async (request, reply) => reply.status(201).send(view(await ctx.webhooks.add(request.body))));

  app.get('/v1/webhooks', {
    schema: { summary: 'Subscriptions', response: { 200: { type: 'object', properties: { webhooks: { type: 'array', items: SubscriptionBody } } }, ...ERROR_RESPONSES } },
  }, async () => ({ webhooks: (await ctx.webhooks.list()).map(view) }));

  app.delete<{ Params: { id: string } }>('/v1/webhooks/:id', {
    schema: { summary: 'Unsubscribe (pending deliveries are dropped)', params: SubIdParams, response: { 204: { type: 'null' }, ...ERROR_RESPONSES } },
  }, async (request, reply) => {
    if (!(await ctx.webhooks.remove(request.params.id))) throw new LedgerlensError('NOT_FOUND', `no webhook ${request.params.id}`);
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string } }>('/v1/webhooks/:id/deliveries', {
    schema: { summary: 'Delivery log of a subscription, newest first', params: SubIdParams, response: { 200: DeliveryLog, ...ERROR_RESPONSES } },
  }, async (request) => {
    if (!(await ctx.webhooks.get(request.params.id))) throw new LedgerlensError('NOT_FOUND', `no webhook ${request.params.id}`);
    return { deliveries: await ctx.webhooks.deliveries(request.params.id) };
  });
}
