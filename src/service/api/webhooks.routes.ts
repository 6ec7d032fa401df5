import type { FastifyInstance } from 'fastify';
import { LedgerlensError } from '../../core/errors.js';
import type { ServiceContext } from '../service-context.js';
import type { Subscription, SubscriptionInput as Input } from '../webhooks.js';
import { scopeOf, tenantOf } from './auth.js';
import { DeliveryLog, ERROR_RESPONSES, ref, SubIdParams, SubscriptionInput, SubscriptionList } from './schemas.js';

/** The secret is write-only: never returned. */
const view = ({ secret: _secret, ...rest }: Subscription) => rest;

export function webhookRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Body: Input }>('/v1/webhooks', {
    schema: {
      operationId: 'createWebhook', tags: ['webhooks'],
      summary: 'Subscribe a URL to events of this tenant\'s documents',
      description: 'Deliveries are signed with HMAC-SHA256 over `${timestamp}.${body}`. The URL must be http(s) without credentials, on webhooks.allowedHosts when set, and a public address unless webhooks.allowPrivateNetworks.',
      body: SubscriptionInput,
      response: { 201: { description: 'Subscribed', ...ref('Subscription') }, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => reply.status(201).send(view(await ctx.webhooks.add(request.body, tenantOf(request)))));

  app.get('/v1/webhooks', {
    schema: {
      operationId: 'listWebhooks', tags: ['webhooks'], summary: 'Subscriptions of this tenant (admins: all)',
      response: { 200: { description: 'Subscriptions', ...SubscriptionList }, ...ERROR_RESPONSES },
    },
  }, async (request) => ({ webhooks: (await ctx.webhooks.list(scopeOf(request))).map(view) }));

  app.delete<{ Params: { id: string } }>('/v1/webhooks/:id', {
    schema: {
      operationId: 'deleteWebhook', tags: ['webhooks'], summary: 'Unsubscribe (pending deliveries are dropped)',
      params: SubIdParams, response: { 204: { description: 'Unsubscribed', type: 'null' }, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    if (!(await ctx.webhooks.remove(request.params.id, scopeOf(request)))) throw new LedgerlensError('NOT_FOUND', `no webhook ${request.params.id}`);
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string } }>('/v1/webhooks/:id/deliveries', {
    schema: {
      operationId: 'listWebhookDeliveries', tags: ['webhooks'], summary: 'Delivery log of a subscription, newest first',
      params: SubIdParams, response: { 200: { description: 'Delivery attempts', ...DeliveryLog }, ...ERROR_RESPONSES },
    },
  }, async (request) => {
    if (!(await ctx.webhooks.get(request.params.id, scopeOf(request)))) throw new LedgerlensError('NOT_FOUND', `no webhook ${request.params.id}`);
    return { deliveries: await ctx.webhooks.deliveries(request.params.id) };
  });
}
