import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  candidatesResponseSchema,
  jobRequisitionsResponseSchema,
  readWorkdayEnvelope,
} from '../../../shared/providers/workday/parse.js';
import {
  candidateSchema,
  jobRequisitionSchema,
  type WorkdayCandidate,
} from '../../../shared/providers/workday/schemas.js';
import {
  type ApplicationMapping,
  applicationIdsOf,
  toApplications,
} from '../../../shared/providers/workday/to-application.js';
import { candidateRemoteId, toCandidate } from '../../../shared/providers/workday/to-candidate.js';
import { toJob } from '../../../shared/providers/workday/to-job.js';
import {
  isTargetOfRescind,
  logEntriesOf,
  rescindedTargetIds,
} from '../../../shared/providers/workday/transaction-log.js';

const sample = (name: string) =>
  readFileSync(new URL(`../../../events/providers/workday/${name}`, import.meta.url), 'utf8');

function candidatesSample() {
  const envelope = readWorkdayEnvelope(sample('get-candidates-response.xml'));
  const list = candidatesResponseSchema.parse(envelope?.body['Get_Candidates_Response']);
  return { results: list.results, candidates: list.items.map((item) => candidateSchema.parse(item)) };
}

function candidate(index: number): WorkdayCandidate {
  const found = candidatesSample().candidates[index];
  if (!found) throw new Error(`sample has no candidate ${index}`);
  return found;
}

function requisitions() {
  const envelope = readWorkdayEnvelope(sample('get-job-requisitions-response.xml'));
  return jobRequisitionsResponseSchema
    .parse(envelope?.body['Get_Job_Requisitions_Response'])
    .items.map((item) => jobRequisitionSchema.parse(item));
}

const byStep: ApplicationMapping = {
  stageIdSource: 'workflow_step',
  hiredStageIds: ['Hired'],
  withdrawnDispositionIds: [],
};

describe('Workday Get_Candidates response', () => {
  it('reads Response_Results as numbers', () => {
    const { results } = candidatesSample();

    expect(results).toEqual({ Total_Results: 3, Total_Pages: 1, Page_Results: 3, Page: 1 });
  });
});

describe('Workday candidate mapper', () => {
  it('maps the Candidate_ID, legal name, lower-cased email and phone', () => {
    const mapped = toCandidate(candidate(0));

    expect(mapped).toMatchObject({
      remoteId: 'C-000001',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada.lovelace.1@example.test',
      phone: '+1-555-0100',
    });
  });

  it('reports the Contact_Data email and phone as the whole sets, without a label', () => {
    const mapped = toCandidate(candidate(0));

    expect(mapped).toMatchObject({
      emails: [{ value: 'ada.lovelace.1@example.test', type: 'other' }],
      phones: [{ value: '+1-555-0100', type: 'other' }],
    });
    expect(mapped).not.toHaveProperty('attachments');
  });

  it('takes remoteUpdatedAt from the latest transaction entry moment', () => {
    const mapped = toCandidate(candidate(0));

    expect(mapped?.remoteUpdatedAt).toBe('2026-01-10T14:00:00.000Z');
  });

  it('reads an empty Contact_Data as no email and no phone', () => {
    const mapped = toCandidate(candidate(1));

    expect(mapped).toMatchObject({ email: null, phone: null, emails: [], phones: [], remoteUpdatedAt: null });
  });

  it('maps a candidate returned without Candidate_Data to null', () => {
    const mapped = toCandidate(candidate(2));

    expect(mapped).toBeNull();
  });

  it('recognises a rescind that targets the candidate itself', () => {
    const stub = candidate(2);

    expect(isTargetOfRescind(logEntriesOf(stub), 'Candidate_ID', candidateRemoteId(stub) ?? '')).toBe(true);
  });
});

describe('Workday application mapper', () => {
  it('maps an open application with the workflow step as stage id and the stage descriptor as name', () => {
    const [first] = toApplications(candidate(0), byStep);

    expect(first).toEqual({
      remoteId: 'JA-0000001',
      candidateRemoteId: 'C-000001',
      jobRemoteId: 'R-00001',
      stage: { remoteId: 'STEP-SCREEN', name: 'Screen' },
      status: 'active',
      rejectionReason: null,
      appliedAt: '2026-01-02T00:00:00.000Z',
      remoteUpdatedAt: '2026-01-03T09:30:00.000Z',
    });
  });

  it('uses the Recruiting_Stage_ID as stage id when moves go by recruiting stage', () => {
    const [first] = toApplications(candidate(0), { ...byStep, stageIdSource: 'recruiting_stage' });

    expect(first?.stage).toEqual({ remoteId: 'Screen', name: 'Screen' });
  });

  it('reads a Disposition_Reference as rejected with the disposition as reason', () => {
    const second = toApplications(candidate(0), byStep)[1];

    expect(second).toMatchObject({ status: 'rejected', rejectionReason: 'Not Selected' });
  });

  it('reads a configured withdrawal disposition as withdrawn', () => {
    const second = toApplications(candidate(0), { ...byStep, withdrawnDispositionIds: ['Not_Selected'] })[1];

    expect(second?.status).toBe('withdrawn');
  });

  it('reads a configured hired stage as hired', () => {
    const [only] = toApplications(candidate(1), byStep);

    expect(only).toMatchObject({ remoteId: 'JA-0000003', jobRemoteId: 'R-00001', status: 'hired' });
  });

  it('lists the application ids present in the data', () => {
    const ids = applicationIdsOf(candidate(0));

    expect([...ids]).toEqual(['JA-0000001', 'JA-0000002']);
  });

  it('names the rescinded application among rescind targets while it is absent from the data', () => {
    const source = candidate(0);
    const rescinded = rescindedTargetIds(logEntriesOf(source), 'Job_Application_ID');

    expect({ rescinded: [...rescinded], live: applicationIdsOf(source).has('JA-0000009') }).toEqual({
      rescinded: ['JA-0000009'],
      live: false,
    });
  });
});

describe('Workday job requisition mapper', () => {
  const stages = [
    { remoteId: 'STEP-REVIEW', name: 'Review', position: 0 },
    { remoteId: 'STEP-SCREEN', name: 'Screen', position: 1 },
  ];

  it('maps an open full-time requisition with the configured stages', () => {
    const [open] = requisitions();

    expect(toJob(open ?? {}, stages)).toEqual({
      remoteId: 'R-00001',
      title: 'Software Engineer',
      status: 'open',
      employmentType: 'full_time',
      stages,
      remoteUpdatedAt: null,
    });
  });

  it.each([
    [
      'maps a filled part-time requisition to closed and part time',
      1,
      { remoteId: 'R-00002', status: 'closed', employmentType: 'part_time' },
    ],
    [
      'maps a frozen (on hold) contingent requisition to paused and contract, titled from its descriptor',
      2,
      { remoteId: 'R-00003', title: 'R-00003 Driver', status: 'paused', employmentType: 'contract' },
    ],
  ])('%s', (_title, index, expected) => {
    const requisition = requisitions()[index];

    expect(toJob(requisition ?? {}, [])).toMatchObject(expected);
  });
});
