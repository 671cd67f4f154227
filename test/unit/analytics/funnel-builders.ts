import type { FunnelResponse } from '../../../shared/analytics/funnel-schema.js';

/** A March 2024 funnel report of the given figures. */
export function marchFunnel(figures: Pick<FunnelResponse, 'totals' | 'stages' | 'sources'>): FunnelResponse {
  return {
    generatedAt: '2024-04-01T02:15:00.000Z',
    scope: { jobId: null, from: '2024-03-02T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
    ...figures,
  };
}

/** The same stages with nothing in them: the zero-data report. */
export function emptied(funnel: FunnelResponse): FunnelResponse {
  return {
    ...funnel,
    totals: { applications: 0, active: 0, hired: 0, rejected: 0, withdrawn: 0 },
    stages: funnel.stages.map((s) => ({
      ...s,
      current: 0,
      reached: 0,
      conversionToNext: null,
      medianHoursInStage: null,
    })),
    sources: [],
  };
}
