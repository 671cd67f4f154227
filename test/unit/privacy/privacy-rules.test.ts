import { describe, expect, it } from 'vitest';
import {
  allMarkers,
  type ErasureStep,
  erasedEmail,
  escapeRegex,
  nextErasureStep,
  pageRemoteIds,
  retentionCutoff,
  strongMarkers,
  withoutPerson,
  withStep,
} from '../../../shared/domain/privacy.js';

const person = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  emails: ['ada@example.com'],
  phones: ['+44 20 7946 0000'],
};
const done = (name: ErasureStep['name']): ErasureStep => ({ name, state: 'done', detail: {} });

describe('erasure steps', () => {
  it('start with the documents', () => {
    expect(nextErasureStep([])).toBe('documents');
  });

  it('go on after the last recorded step', () => {
    expect(nextErasureStep([done('documents'), done('raw_payloads')])).toBe('providers');
  });

  it('run a failed step again', () => {
    const steps = [done('documents'), { name: 'raw_payloads', state: 'failed', detail: {} } as ErasureStep];
    expect(nextErasureStep(steps)).toBe('raw_payloads');
  });

  it('end with the database step', () => {
    const steps = [done('documents'), done('raw_payloads'), done('providers')];
    expect(nextErasureStep(steps)).toBe('database');
  });

  it('are over once every step is recorded', () => {
    expect(
      nextErasureStep(['documents', 'raw_payloads', 'providers', 'database'].map((n) => done(n as never))),
    ).toBeNull();
  });

  it('keep one outcome per step, the latest', () => {
    const failed: ErasureStep = { name: 'documents', state: 'failed', detail: {} };
    expect(withStep([failed], done('documents'))).toEqual([done('documents')]);
  });
});

describe('placeholders', () => {
  it('give an erased candidate an email in the reserved .invalid domain, unique by id', () => {
    expect(erasedEmail('0B6F0E6C-1111-4222-8333-944445555666')).toBe(
      'erased-0b6f0e6c-1111-4222-8333-944445555666@erased.invalid',
    );
  });
});

describe('markers', () => {
  it('look for emails, phones and the full name across the organization', () => {
    expect(strongMarkers(person)).toEqual(['ada@example.com', '+44 20 7946 0000', 'Ada Lovelace']);
  });

  it('add the single names, longest first, for rows about the person', () => {
    expect(allMarkers(person)).toEqual([
      '+44 20 7946 0000',
      'ada@example.com',
      'Ada Lovelace',
      'Lovelace',
      'Ada',
    ]);
  });

  it('ignore names too short to be told apart', () => {
    expect(allMarkers({ ...person, firstName: 'Al' })).not.toContain('Al');
  });

  it('escape regular-expression characters', () => {
    expect(escapeRegex('+44 (20) a.b')).toBe('\\+44 \\(20\\) a\\.b');
  });
});

describe('raw pages without the person', () => {
  it('drop an element whose id is one of the remote ids', () => {
    const page = [{ id: 9001, first_name: 'Ada' }, { id: 9002 }];

    expect(withoutPerson(page, { remoteIds: ['9001'], markers: [] })).toEqual({
      kept: [{ id: 9002 }],
      removed: 1,
    });
  });

  it('drop an element that names the person in a nested id field', () => {
    const page = [
      { id: 1, application: { candidate_id: '9001' } },
      { id: 2, candidate_id: 9002 },
    ];

    expect(withoutPerson(page, { remoteIds: ['9001'], markers: [] }).kept).toEqual([
      { id: 2, candidate_id: 9002 },
    ]);
  });

  it('drop an element that holds a marker in its text, whatever the case', () => {
    const page = [
      { id: 1, email: 'ADA@example.com' },
      { id: 2, email: 'bob@example.com' },
    ];

    expect(withoutPerson(page, { remoteIds: [], markers: ['ada@example.com'] }).kept).toEqual([
      { id: 2, email: 'bob@example.com' },
    ]);
  });

  it('keep an element where the remote id is a value but not an id', () => {
    const page = [{ id: 1, score: 9001 }];

    expect(withoutPerson(page, { remoteIds: ['9001'], markers: [] }).removed).toBe(0);
  });
});

describe('raw page index', () => {
  it('names the candidates and applications of an application page', () => {
    const records = [
      { remoteId: 'a1', candidateRemoteId: 'c1' },
      { remoteId: 'a2', candidateRemoteId: 'c1' },
    ];
    expect(pageRemoteIds('application', records)).toEqual(['a1', 'a2', 'c1']);
  });

  it('names nobody for jobs', () => {
    expect(pageRemoteIds('job', [{ remoteId: 'j1' }])).toEqual([]);
  });
});

describe('retention', () => {
  it('keeps data without a setting', () => {
    expect(retentionCutoff(null, new Date('2026-06-10T00:00:00Z'))).toBeNull();
  });

  it('ends a setting of days that many days before now', () => {
    expect(retentionCutoff(30, new Date('2026-06-10T00:00:00Z'))?.toISOString()).toBe(
      '2026-05-11T00:00:00.000Z',
    );
  });
});
