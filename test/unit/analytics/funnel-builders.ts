import type { FunnelResponse } from '../../../shared/analytics/funnel-schema.js';

type RecordFigures = Pick<
  FunnelResponse,
  'interviews' | 'offers' | 'medianHoursToFirstInterview' | 'rejectionReasons' | 'submitters'
>;

/** Interview, offer and rejection figures of a busy month. */
export const RECORD_FIGURES: RecordFigures = {
  interviews: { scheduled: 6, completed: 4, applicationsInterviewed: 3 },
  offers: { sent: 2, accepted: 1, acceptanceRate: 0.5 },
  medianHoursToFirstInterview: 36.5,
  rejectionReasons: [
    { name: 'Not a fit', count: 2 },
    { name: 'Salary expectations', count: 1 },
  ],
  submitters: [],
};

/** A March 2024 funnel report of the given figures. */
export function marchFunnel(
  figures: Pick<FunnelResponse, 'totals' | 'stages' | 'sources'> & Partial<RecordFigures>,
): FunnelResponse {
  return {
    generatedAt: '2024-04-01T02:15:00.000Z',
    scope: { jobId: null, from: '2024-03-02T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
    ...RECORD_FIGURES,
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
    interviews: { scheduled: 0, completed: 0, applicationsInterviewed: 0 },
    offers: { sent: 0, accepted: 0, acceptanceRate: null },
    medianHoursToFirstInterview: null,
    rejectionReasons: [],
    submitters: [],
  };
}
