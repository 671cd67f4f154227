/** Small builders the topology's function specs are written with: no access, some access, an HTTP trigger. */
import type { FunctionAccess, HttpMethod, HttpTrigger } from './topology-types.js';

export const none: FunctionAccess = {
  database: false,
  bucket: { read: [], write: [] },
  queues: { send: [] },
  secrets: { read: [], write: [] },
};

export const access = (partial: Partial<FunctionAccess>): FunctionAccess => ({ ...none, ...partial });

export const http = (
  method: HttpMethod,
  path: string,
  auth: HttpTrigger['auth'] = 'bearer',
): HttpTrigger => ({
  type: 'http',
  method,
  path,
  auth,
});
