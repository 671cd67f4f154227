/**
 * The topology's functions for people and operators: users, parties, messages, the operator console and the
 * connect page. Kept apart from the core loop's functions in ./topology.ts only to keep each file short.
 */
import { access, http, none } from './topology-builders.js';
import type { FunctionSpec } from './topology-types.js';

export const operatorFunctions: readonly FunctionSpec[] = [
  {
    name: 'users-admin',
    description: 'add users with a role and a personal API key, list them, deactivate them',
    entry: 'functions/users-admin/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [http('POST', '/users'), http('GET', '/users'), http('DELETE', '/users/{id}')],
    access: access({ database: true }),
  },
  {
    name: 'operations-read',
    description:
      'reads for the operator console: sync runs with progress, import log, received webhooks, push log, notification deliveries',
    entry: 'functions/operations-read/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      http('GET', '/sync-runs'),
      http('GET', '/sync-runs/{id}'),
      http('GET', '/sync-runs/{id}/imports'),
      http('GET', '/webhook-deliveries'),
      http('GET', '/push-log'),
      http('GET', '/notification-deliveries'),
    ],
    access: access({ database: true }),
  },
  {
    name: 'console-web',
    description: 'serve the operator console: one HTML page, its script and style sheet, with a strict CSP',
    entry: 'functions/console-web/handler.ts',
    timeoutSeconds: 5,
    memoryMb: 256,
    triggers: [http('GET', '/console', 'none'), http('GET', '/console/{file}', 'none')],
    // the page is static; everything it shows comes from the API with the key typed into it
    access: none,
    assets: { build: 'console/build.ts', folder: 'console' },
  },
  {
    name: 'connect-sessions',
    description: 'make one-time connect links (30 minutes, single use) to the hosted connect page',
    entry: 'functions/connect-sessions/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [http('POST', '/connect-sessions')],
    access: access({ database: true }),
  },
  {
    name: 'connect-page',
    description:
      'the hosted connect page: provider forms and Lever OAuth (state, PKCE); checks credentials with the provider, then saves the integration',
    entry: 'functions/connect-page/handler.ts',
    // the provider check and the OAuth code exchange are outbound calls of up to 10 s each
    timeoutSeconds: 30,
    memoryMb: 512,
    triggers: [
      http('GET', '/connect/{token}', 'none'),
      http('POST', '/connect/{token}', 'none'),
      http('GET', '/connect/oauth/{provider}/callback', 'none'),
    ],
    // reads the hub's OAuth app (providers scope: integrations/oauth-apps/<provider>) and writes the new
    // integration's credentials and webhook secret, as integrations-admin does
    access: access({
      database: true,
      secrets: { read: ['providers', 'webhooks'], write: ['providers', 'webhooks'] },
    }),
  },
  {
    name: 'parties-admin',
    description: 'a platform creates employers and agencies; an employer partners agencies on its jobs',
    entry: 'functions/parties-admin/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      http('POST', '/organizations'),
      http('POST', '/partnerships'),
      http('GET', '/partnerships'),
      http('DELETE', '/partnerships/{id}'),
    ],
    access: access({ database: true }),
  },
  {
    name: 'application-messages',
    description:
      'messages between the parties of an application, with read receipts per recipient organization',
    entry: 'functions/application-messages/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 512,
    triggers: [
      http('POST', '/applications/{id}/messages'),
      http('GET', '/applications/{id}/messages'),
      http('POST', '/messages/{id}/read'),
    ],
    // each recipient's message.created is published at once to the notifier
    access: access({ database: true, queues: { send: ['notify'] } }),
  },
];
