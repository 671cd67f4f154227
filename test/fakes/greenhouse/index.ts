export { type GreenhouseFake, type GreenhouseFakeOptions, startGreenhouseFake } from './server.js';
export { greenhouseJson, greenhouseSignature } from './webhooks.js';
