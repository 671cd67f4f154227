/** Ashby interview schedules → one canonical interview per scheduled event. */
import { describe, expect, it } from 'vitest';
import {
  ashbyInterviewScheduleSchema,
  ashbyUserSchema,
} from '../../../../shared/providers/ashby/record-schemas.js';
import { interviewStatusOf, toInterviews } from '../../../../shared/providers/ashby/to-interview.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<any>('ashby');
const schedule = () =>
  ashbyInterviewScheduleSchema.parse(sample('interview-schedule-list-page.json').results[0]);
const users = () =>
  new Map(
    (sample('user-list-page.json').results as unknown[]).map((u) => {
      const user = ashbyUserSchema.parse(u);
      return [user.id, user] as const;
    }),
  );

describe('ashby toInterviews', () => {
  it('maps a timed event with its stage, location, status and named interviewers', () => {
    expect(toInterviews(schedule(), users())).toEqual([
      {
        remoteId: 'event-1',
        applicationRemoteId: '3ae2b801-19f6-41ef-ad28-214bd731948f',
        title: 'Technical interview',
        stage: { remoteId: 'a7a1b2c3-0001', name: '' },
        startAt: '2026-01-20T14:00:00.000Z',
        endAt: '2026-01-20T15:00:00.000Z',
        location: 'Room 4',
        status: 'scheduled',
        interviewers: [{ name: 'Ada Byron', email: 'ada@employer.example' }],
        remoteUpdatedAt: '2026-01-12T15:00:00.000Z',
      },
    ]);
  });

  it('skips events that have no time yet', () => {
    const ids = toInterviews(schedule(), users()).map((i) => i.remoteId);

    expect(ids).not.toContain('event-2');
  });

  it('leaves interviewers it cannot name out rather than inventing names', () => {
    expect(toInterviews(schedule())[0]!.interviewers).toEqual([]);
  });

  it('prefers interviewers the payload names itself', () => {
    const raw = sample('interview-schedule-list-page.json').results[0];
    raw.interviewEvents[0].interviewers = [{ id: 'u-9', firstName: 'Alan', lastName: 'Turing', email: null }];

    const [interview] = toInterviews(ashbyInterviewScheduleSchema.parse(raw), users());

    expect(interview!.interviewers).toEqual([{ name: 'Alan Turing', email: null }]);
  });

  it.each([
    ['Scheduled', 'scheduled'],
    ['NeedsScheduling', 'scheduled'],
    ['Complete', 'completed'],
    ['Completed', 'completed'],
    ['Cancelled', 'cancelled'],
  ] as const)('maps schedule status %s to %s', (raw, status) => {
    expect(interviewStatusOf(raw)).toBe(status);
  });
});
