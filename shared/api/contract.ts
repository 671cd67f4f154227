/**
 * The HTTP contract of docs/api.md as data: every route's method, path, roles, schemas and responses. The routes
 * are declared by area in ./<area>-routes.ts; this table lists them all for the OpenAPI document and the API
 * documentation test. A function imports only its own area's routes (not this table), so its bundle builds only
 * the zod schemas it answers with (docs/performance.md §1.2, B3). A new area adds its routes file and one line
 * below.
 */
import type { AnyContract } from '../http/types.js';
import { funnel } from './analytics-routes.js';
import { changeStatus, getApplication, moveStage, submitApplication } from './application-routes.js';
import { connectContracts } from './connect-routes.js';
import { consoleContracts } from './console-routes.js';
import {
  createIntegration,
  getIntegration,
  listIntegrations,
  listSyncRuns,
  rotateWebhookSecret,
  triggerSync,
} from './integration-routes.js';
import { createJob, getJob, listJobApplications, listJobs, updateJob } from './job-routes.js';
import { health, openapi } from './meta-routes.js';
import { partiesContracts } from './parties-routes.js';
import { privacyContracts } from './privacy-routes.js';
import { recordContracts } from './record-routes.js';
import { subscriptionContracts } from './subscriptions.js';
import { userContracts } from './users-routes.js';
import { receiveWebhook } from './webhook-routes.js';
import { writeBackContracts } from './write-back.js';

export * from './analytics-routes.js';
export * from './application-routes.js';
export * from './integration-routes.js';
export * from './job-routes.js';
export * from './meta-routes.js';
export * from './webhook-routes.js';

/** Every route, in the order of docs/api.md. */
export const contract: AnyContract[] = [
  health,
  openapi,
  createJob,
  listJobs,
  getJob,
  updateJob,
  listJobApplications,
  getApplication,
  submitApplication,
  moveStage,
  changeStatus,
  funnel,
  createIntegration,
  listIntegrations,
  getIntegration,
  triggerSync,
  listSyncRuns,
  rotateWebhookSecret,
  receiveWebhook,
  ...subscriptionContracts,
  ...writeBackContracts,
  ...recordContracts,
  ...partiesContracts,
  ...userContracts,
  ...consoleContracts,
  ...connectContracts,
  ...privacyContracts,
];
