import { describe, expect, it } from 'vitest';
import {
  acceptsScorecard,
  decideInterviewChange,
  type InterviewState,
} from '../../../shared/domain/interviews.js';

const scheduled: InterviewState = {
  title: 'Technical interview',
  startAt: '2026-12-10T14:00:00.000Z',
  endAt: '2026-12-10T15:00:00.000Z',
  location: null,
  interviewers: [],
  status: 'scheduled',
};

describe('decideInterviewChange', () => {
  it('reschedules a scheduled interview, keeping what the patch leaves out', () => {
    const decision = decideInterviewChange(scheduled, {
      startAt: '2026-12-11T09:00:00.000Z',
      endAt: '2026-12-11T10:00:00.000Z',
    });

    expect(decision).toEqual({
      ok: true,
      value: { ...scheduled, startAt: '2026-12-11T09:00:00.000Z', endAt: '2026-12-11T10:00:00.000Z' },
    });
  });

  it('refuses an end before the start once the patch is applied', () => {
    const decision = decideInterviewChange(scheduled, { startAt: '2026-12-10T16:00:00.000Z' });

    expect(decision).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', path: 'body.endAt' });
  });

  it.each(['completed', 'cancelled', 'no_show'] as const)('refuses to change a %s interview', (status) => {
    const decision = decideInterviewChange({ ...scheduled, status }, { title: 'Again' });

    expect(decision).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
  });

  it('clears a location with null', () => {
    const decision = decideInterviewChange({ ...scheduled, location: 'Room 2' }, { location: null });

    expect(decision).toMatchObject({ ok: true, value: { location: null } });
  });
});

describe('acceptsScorecard', () => {
  it('takes feedback for any interview but a cancelled one', () => {
    expect(
      (['scheduled', 'completed', 'cancelled', 'no_show'] as const).map((status) => acceptsScorecard(status)),
    ).toEqual([true, true, false, true]);
  });
});
