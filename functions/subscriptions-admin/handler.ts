import * as api from '../../shared/api/subscriptions.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { notificationConfig } from '../../shared/notifications/config.js';
import { adapters } from '../../shared/runtime/adapters.js';
import {
  createSubscription,
  getDeliveries,
  getSubscriptions,
  redeliver,
  removeSubscription,
} from './use-case.js';

const deps = adapters();
const config = notificationConfig();
const useCaseDeps = () => ({
  sql: deps.sql(),
  secrets: deps.secrets(),
  queue: deps.queues().notify,
  clock: deps.clock,
  config,
});

export const routes = [
  implement(api.createSubscription, (request) =>
    respond(201, createSubscription(useCaseDeps(), request.principal, request.body)),
  ),
  implement(api.listSubscriptions, (request) =>
    respond(200, getSubscriptions(useCaseDeps(), request.principal)),
  ),
  implement(api.deleteSubscription, async (request) => {
    await removeSubscription(useCaseDeps(), request.principal, request.params.id);
    return { status: 204 };
  }),
  implement(api.listSubscriptionDeliveries, (request) =>
    respond(200, getDeliveries(useCaseDeps(), request.principal, request.params.id, request.query)),
  ),
  implement(api.redeliverSubscriptionDelivery, (request) =>
    respond(202, redeliver(useCaseDeps(), request.principal, request.params.id, request.params.deliveryId)),
  ),
];

export const handler = httpHandler(routes, deps);
