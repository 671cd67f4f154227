/** The service's own routes: liveness and the OpenAPI document (docs/api.md). */
import * as z from 'zod';
import type { OpenRouteContract } from '../http/types.js';

export const health: OpenRouteContract = {
  method: 'GET',
  path: '/health',
  summary: 'Liveness including the database',
  access: 'public',
  bodyKind: 'none',
  responses: {
    200: { description: 'ok', schema: z.object({ status: z.literal('ok') }) },
    503: { description: 'database unavailable', schema: z.object({ status: z.literal('unavailable') }) },
  },
};

export const openapi: OpenRouteContract = {
  method: 'GET',
  path: '/openapi.json',
  summary: 'This document',
  access: 'public',
  bodyKind: 'none',
  responses: { 200: { description: 'OpenAPI 3.1 document' } },
};
