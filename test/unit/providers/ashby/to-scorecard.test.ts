/** Ashby application feedback → canonical scorecards with recommendation and attribute ratings. */
import { describe, expect, it } from 'vitest';
import { ashbyFeedbackSchema } from '../../../../shared/providers/ashby/record-schemas.js';
import { recommendationOf, toScorecard } from '../../../../shared/providers/ashby/to-scorecard.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<any>('ashby');
const feedback = (index: number) =>
  ashbyFeedbackSchema.parse(sample('application-feedback-list-page.json').results[index]);

describe('ashby toScorecard', () => {
  it('maps submitted feedback with its interviewer, event and scored attributes', () => {
    expect(toScorecard(feedback(0))).toEqual({
      remoteId: 'feedback-1',
      applicationRemoteId: '3ae2b801-19f6-41ef-ad28-214bd731948f',
      interviewRemoteId: 'event-1',
      interviewer: { name: 'Ada Byron', email: 'ada@employer.example' },
      recommendation: 'strong_yes',
      submittedAt: '2026-01-20T16:30:00.000Z',
      attributes: [{ name: 'Communication', rating: '3' }],
      remoteUpdatedAt: '2026-01-20T16:30:00.000Z',
    });
  });

  it('reads feedback without a recommendation as no decision', () => {
    expect(toScorecard(feedback(1))).toMatchObject({ recommendation: 'no_decision', attributes: [] });
  });

  it('skips a draft without a submission time', () => {
    const raw = ashbyFeedbackSchema.parse({
      ...sample('application-feedback-list-page.json').results[0],
      submittedAt: null,
    });

    expect(toScorecard(raw)).toBeNull();
  });

  it.each([
    [{ score: 1 }, 'strong_no'],
    [2, 'no'],
    ['3', 'yes'],
    [{ score: 4 }, 'strong_yes'],
    [{ score: 7 }, 'no_decision'],
    [undefined, 'no_decision'],
  ] as const)('maps the score %j to %s', (value, recommendation) => {
    expect(recommendationOf(value)).toBe(recommendation);
  });
});
