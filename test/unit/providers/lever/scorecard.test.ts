/** Lever feedback forms (GET /opportunities/:id/feedback) → canonical scorecards. */
import { describe, expect, it } from 'vitest';
import { leverFeedbackSchema } from '../../../../shared/providers/lever/record-schemas.js';
import { recommendationOf, toScorecard } from '../../../../shared/providers/lever/to-scorecard.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<{ data: unknown[] }>('lever');
const forms = () => sample('feedback-page.json').data.map((f) => leverFeedbackSchema.parse(f));
const context = {
  applicationRemoteId: 'opp-1',
  users: new Map([['7a1d0c3e-0011', { id: '7a1d0c3e-0011', name: 'Pat Panel', email: 'Pat@Example.test' }]]),
};

describe('lever scorecard mapper', () => {
  it('maps a completed form: interviewer from the users, rating, score fields as attributes', () => {
    expect(toScorecard(forms()[0]!, context)).toEqual({
      remoteId: '3b743e1d-d075-4ec6-a8d8-83ebf43e3263',
      applicationRemoteId: 'opp-1',
      interviewRemoteId: '32b7bf78-4592-4a56-b313-3e31ed25ea00',
      interviewer: { name: 'Pat Panel', email: 'pat@example.test' },
      recommendation: 'strong_yes',
      submittedAt: new Date(1768492800000).toISOString(),
      attributes: [
        { name: 'Technical skill', rating: '4' },
        { name: 'Communication', rating: '3' },
      ],
      remoteUpdatedAt: new Date(1768496400000).toISOString(),
    });
  });

  it('skips a form not yet completed and a deleted one', () => {
    const [, pending, deleted] = forms();

    expect(toScorecard(pending!, context)).toBeNull();
    expect(toScorecard(deleted!, context)).toBeNull();
  });

  it.each([
    ['4 - Strong Hire', 'strong_yes'],
    ['3 - Hire', 'yes'],
    ['2 - No Hire', 'no'],
    ['1 - Strong No Hire', 'strong_no'],
    [undefined, 'no_decision'],
  ])('reads the rating %s as %s', (value, expected) => {
    expect(recommendationOf([{ type: 'score-system', text: 'Rating', value }])).toBe(expected);
  });
});
