export { type BamboohrFake, type BamboohrFakeOptions, startBamboohrFake } from './server.js';
export { type BamboohrState, DEFAULT_STATUSES, type FakeApplication, type FakeStatus } from './state.js';
export { type BamboohrWebhookDelivery, bamboohrSignature, employeeWebhookPayload } from './webhooks.js';
