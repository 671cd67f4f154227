/** The funnel route of docs/api.md as data. */
import { type FunnelQuery, funnelQuery, funnelResponse } from '../analytics/funnel-schema.js';
import type { RouteContract } from '../http/types.js';
import { errorBody } from './common.js';

const err = (description: string) => ({ description, schema: errorBody });
const common = {
  400: err('VALIDATION_FAILED or MALFORMED_JSON'),
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN'),
};

export const funnel: RouteContract<unknown, FunnelQuery> = {
  method: 'GET',
  path: '/analytics/funnel',
  summary: 'Hiring-funnel metrics (the portal sees only its own applications)',
  access: ['portal', 'ats', 'admin'],
  bodyKind: 'none',
  query: funnelQuery,
  responses: {
    200: { description: 'funnel', schema: funnelResponse },
    ...common,
    404: err('NOT_FOUND (job)'),
  },
};
