export { type LeverFake, type LeverFakeOptions, startLeverFake } from './server.js';
export { leverSignature } from './webhooks.js';
