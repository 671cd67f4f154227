export { type AshbyFake, type AshbyFakeOptions, type AshbyPermission, startAshbyFake } from './server.js';
export { ashbySignature } from './webhooks.js';
