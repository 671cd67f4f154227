import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildSoapEnvelope, wsSecurityUsernameToken } from '../../../shared/providers/common/soap.js';
import { classifyFault, faultSummary } from '../../../shared/providers/workday/faults.js';
import { readWorkdayEnvelope } from '../../../shared/providers/workday/parse.js';
import {
  getCandidatesRequest,
  type ListRequest,
  moveCandidateRequest,
} from '../../../shared/providers/workday/requests.js';

const sample = (name: string) =>
  readFileSync(new URL(`../../../events/providers/workday/${name}`, import.meta.url), 'utf8');

/** Parsed XML of arbitrary shape, read by path in assertions. */
type Parsed = any;

/** An independent reading of what the client sends (namespace prefixes dropped). */
const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
});

function sent(body: Record<string, unknown>, header?: Record<string, unknown>) {
  const document = reader.parse(buildSoapEnvelope({ body, ...(header ? { header } : {}) }));
  return document.Envelope as { Header?: Record<string, Parsed>; Body: Record<string, Parsed> };
}

const listRequest: ListRequest = {
  version: 'v42.1',
  page: 2,
  count: 500,
  asOfEntry: '2026-01-15T12:00:00.000Z',
  window: null,
  transactionTypes: null,
  includeTransactionLogData: true,
};

describe('Workday fault classification', () => {
  it('classifies an authenticationError fault as auth', () => {
    const envelope = readWorkdayEnvelope(sample('fault-authentication.xml'));

    expect(classifyFault(envelope?.fault ?? { code: '', message: '', details: [] })).toBe('auth');
  });

  it('classifies a validationError fault as validation and keeps its detail message', () => {
    const fault = readWorkdayEnvelope(sample('fault-validation.xml'))?.fault;

    expect({ kind: fault && classifyFault(fault), details: fault?.details }).toEqual({
      kind: 'validation',
      details: [
        "Validation error occurred. 'STEP-SCREEN' is not a valid next step for job application JA-0000001",
        "The application is in step 'STEP-INTERVIEW'",
      ],
    });
  });

  it('summarises a fault with its fault string and first distinct detail', () => {
    const fault = readWorkdayEnvelope(sample('fault-validation.xml'))?.fault;

    expect(fault && faultSummary(fault)).toBe(
      "Validation error occurred. 'STEP-SCREEN' is not a valid next step for job application JA-0000001",
    );
  });

  it('classifies a Server fault as server', () => {
    const fault = readWorkdayEnvelope(sample('fault-server.xml'))?.fault;

    expect(fault && classifyFault(fault)).toBe('server');
  });

  it('does not take a non-XML body for an envelope', () => {
    expect(readWorkdayEnvelope('<html>Bad Gateway')).toBeNull();
  });

  it('reads a response without a fault as fault-free', () => {
    expect(readWorkdayEnvelope(sample('get-candidates-response.xml'))?.fault).toBeNull();
  });
});

describe('Workday request bodies', () => {
  it('sends Page, Count and the fixed As_Of_Entry_DateTime in Response_Filter', () => {
    const { Body } = sent(getCandidatesRequest(listRequest));

    expect(Body.Get_Candidates_Request.Response_Filter).toEqual({
      As_Of_Entry_DateTime: '2026-01-15T12:00:00.000Z',
      Page: '2',
      Count: '500',
    });
  });

  it('sends no Request_Criteria on a full pass', () => {
    const { Body } = sent(getCandidatesRequest(listRequest));

    expect(Body.Get_Candidates_Request.Request_Criteria).toBeUndefined();
  });

  it('sends an entered-in-window criterion and a became-effective-in-window criterion on an incremental pass', () => {
    const window = { from: '2026-01-14T12:00:00.000Z', through: '2026-01-15T12:00:00.000Z' };
    const { Body } = sent(getCandidatesRequest({ ...listRequest, window }));
    const criteria = Body.Get_Candidates_Request.Request_Criteria.Transaction_Log_Criteria_Data;

    expect(criteria.map((c: Parsed) => c.Transaction_Date_Range_Data)).toEqual([
      {
        Updated_From: window.from,
        Updated_Through: window.through,
        Effective_From: '1900-01-01T00:00:00.000Z',
        Effective_Through: window.through,
      },
      {
        Updated_From: '1900-01-01T00:00:00.000Z',
        Updated_Through: window.through,
        Effective_From: window.from,
        Effective_Through: window.through,
      },
    ]);
  });

  it('lists transaction types with their ID type in both criteria', () => {
    const window = { from: '2026-01-14T12:00:00.000Z', through: '2026-01-15T12:00:00.000Z' };
    const types = { idType: 'Business_Process_Type', ids: ['Move Candidate', 'Rescind'] };
    const { Body } = sent(getCandidatesRequest({ ...listRequest, window, transactionTypes: types }));
    const [first] = Body.Get_Candidates_Request.Request_Criteria.Transaction_Log_Criteria_Data;

    expect(first.Transaction_Type_References.Transaction_Type_Reference).toEqual([
      { ID: { '#text': 'Move Candidate', '@_type': 'Business_Process_Type' } },
      { ID: { '#text': 'Rescind', '@_type': 'Business_Process_Type' } },
    ]);
  });

  it('moves with a Next_Step_Reference carrying a Workflow_Step_ID', () => {
    const { Body } = sent(
      moveCandidateRequest('v42.1', 'JA-1', { kind: 'Next_Step_Reference', workflowStepId: 'STEP-OFFER' }),
    );

    expect(Body.Move_Candidate_Request.Move_Candidate_Data).toEqual({
      Job_Application_Reference: { ID: { '#text': 'JA-1', '@_type': 'Job_Application_ID' } },
      Next_Step_Reference: { ID: { '#text': 'STEP-OFFER', '@_type': 'Workflow_Step_ID' } },
    });
  });

  it('rejects with a Disposition_Step_Reference and the reason as Disposition_Reference', () => {
    const target = {
      kind: 'Disposition_Step_Reference' as const,
      workflowStepId: 'STEP-DISPOSITION',
      dispositionId: 'Not_Selected',
    };
    const { Body } = sent(moveCandidateRequest('v42.1', 'JA-1', target));

    expect(Body.Move_Candidate_Request.Move_Candidate_Data).toMatchObject({
      Disposition_Step_Reference: { ID: { '#text': 'STEP-DISPOSITION', '@_type': 'Workflow_Step_ID' } },
      Disposition_Reference: { ID: { '#text': 'Not_Selected', '@_type': 'Disposition_ID' } },
    });
  });

  it('puts the user and password into a WS-Security UsernameToken, escaped', () => {
    const { Header } = sent({ Ping: 'x' }, wsSecurityUsernameToken('isu@acme', 'p<&>"w'));

    expect(Header?.Security.UsernameToken).toMatchObject({
      Username: 'isu@acme',
      Password: { '#text': 'p<&>"w' },
    });
  });
});
