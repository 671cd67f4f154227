/** Lever interviews (GET /opportunities/:id/interviews) → canonical interviews. */
import { describe, expect, it } from 'vitest';
import { leverInterviewSchema } from '../../../../shared/providers/lever/record-schemas.js';
import { toInterview } from '../../../../shared/providers/lever/to-interview.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<{ data: unknown[] }>('lever');
const interviews = () => sample('interviews-page.json').data.map((i) => leverInterviewSchema.parse(i));
const context = (now: string) => ({
  applicationRemoteId: 'opp-1',
  stageNames: new Map([['00922a60-7c15-422b-b086-f62000824fd7', 'On-site']]),
  now: new Date(now),
});

describe('lever interview mapper', () => {
  it('maps start, duration, stage name, location and interviewers', () => {
    const [interview] = interviews();

    expect(toInterview(interview!, context('2026-01-01T00:00:00Z'))).toEqual({
      remoteId: '32b7bf78-4592-4a56-b313-3e31ed25ea00',
      applicationRemoteId: 'opp-1',
      title: 'On-site interview - Sample Person',
      stage: { remoteId: '00922a60-7c15-422b-b086-f62000824fd7', name: 'On-site' },
      startAt: new Date(1768485600000).toISOString(),
      endAt: new Date(1768485600000 + 3_600_000).toISOString(),
      location: 'Video call',
      status: 'scheduled',
      interviewers: [{ name: 'Pat Panel', email: 'pat@example.test' }],
      remoteUpdatedAt: new Date(1767000000000).toISOString(),
    });
  });

  it('counts an interview whose end has passed as completed', () => {
    const [interview] = interviews();

    expect(toInterview(interview!, context('2026-06-01T00:00:00Z')).status).toBe('completed');
  });

  it('maps canceledAt to cancelled, dated by the cancellation, with a default title', () => {
    const cancelled = toInterview(interviews()[1]!, context('2026-06-01T00:00:00Z'));

    expect(cancelled).toMatchObject({
      status: 'cancelled',
      title: 'Interview',
      location: null,
      stage: { remoteId: 'lead-new', name: '' },
      remoteUpdatedAt: new Date(1766100000000).toISOString(),
    });
  });
});
