// Over 400 lines: the Workday fake's behaviour catalogue (as-of reads, rescinds, corrections, paging, faults) on one fake.
/**
 * The Workday fake against its checklist (docs/providers.md §9, Workday), spoken to with raw SOAP built here with
 * fast-xml-parser: independent of the adapter in shared/providers.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { startWorkdayFake, type WorkdayFake } from '../../fakes/workday/index.js';

const DAY_MS = 86_400_000;

/** Parsed XML of arbitrary shape, read by path in assertions. */
type Parsed = any;
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) =>
    ['Candidate', 'Job_Requisition', 'Job_Application_Data', 'Transaction_Log_Entry', 'ID'].includes(name),
});

const { start: startFake } = fakeLifecycle(startWorkdayFake, { seed: 3, candidates: 30 });

interface Call {
  operation: 'Get_Candidates' | 'Get_Job_Requisitions' | 'Move_Candidate';
  payload?: Record<string, unknown>;
  user?: string;
  password?: string;
  bearer?: string;
}

async function soap(f: WorkdayFake, call: Call) {
  const header =
    call.bearer === undefined
      ? {
          'wsse:Security': {
            '@_xmlns:wsse':
              'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
            'wsse:UsernameToken': {
              'wsse:Username': call.user ?? `${f.username}@${f.tenant}`,
              'wsse:Password': call.password ?? f.password,
            },
          },
        }
      : undefined;
  const body = builder.build({
    'soapenv:Envelope': {
      '@_xmlns:soapenv': 'http://schemas.xmlsoap.org/soap/envelope/',
      '@_xmlns:bsvc': 'urn:com.workday/bsvc',
      ...(header ? { 'soapenv:Header': header } : {}),
      'soapenv:Body': {
        [`bsvc:${call.operation}_Request`]: { '@_bsvc:version': 'v42.1', ...(call.payload ?? {}) },
      },
    },
  });
  const response = await fetch(f.serviceUrl, {
    method: 'POST',
    headers: {
      'content-type': 'text/xml',
      ...(call.bearer !== undefined ? { authorization: `Bearer ${call.bearer}` } : {}),
    },
    body,
  });
  const text = await response.text();
  const document = text.startsWith('<') ? parser.parse(text) : {};
  const envelope = (document as { Envelope?: { Body?: Record<string, Parsed> } }).Envelope;
  return { status: response.status, headers: response.headers, body: envelope?.Body ?? {}, text };
}

function filter(page: number | string, count: number | string, asOf?: string) {
  return {
    'bsvc:Response_Filter': {
      ...(asOf ? { 'bsvc:As_Of_Entry_DateTime': asOf } : {}),
      'bsvc:Page': String(page),
      'bsvc:Count': String(count),
    },
  };
}

function window(range: Record<string, string>, types: string[] = []) {
  return {
    'bsvc:Transaction_Date_Range_Data': Object.fromEntries(
      Object.entries(range).map(([k, v]) => [`bsvc:${k}`, v]),
    ),
    ...(types.length
      ? {
          'bsvc:Transaction_Type_References': {
            'bsvc:Transaction_Type_Reference': types.map((t) => ({
              'bsvc:ID': { '@_bsvc:type': 'Business_Process_Type', '#text': t },
            })),
          },
        }
      : {}),
  };
}

function criteria(...windows: ReturnType<typeof window>[]) {
  return { 'bsvc:Request_Criteria': { 'bsvc:Transaction_Log_Criteria_Data': windows } };
}

const includeLog = { 'bsvc:Response_Group': { 'bsvc:Include_Transaction_Log_Data': 'true' } };

function candidateIds(body: Record<string, Parsed>): string[] {
  const candidates = body.Get_Candidates_Response?.Response_Data?.Candidate ?? [];
  return candidates.map(
    (c: Parsed) =>
      c.Candidate_Reference.ID.find((id: Parsed) => id['@_type'] === 'Candidate_ID')['#text'] as string,
  );
}

function moveData(applicationId: string, reference: Record<string, unknown>) {
  return {
    'bsvc:Move_Candidate_Data': {
      'bsvc:Job_Application_Reference': {
        'bsvc:ID': { '@_bsvc:type': 'Job_Application_ID', '#text': applicationId },
      },
      ...reference,
    },
  };
}

const nextStep = (id: string) => ({
  'bsvc:Next_Step_Reference': { 'bsvc:ID': { '@_bsvc:type': 'Workflow_Step_ID', '#text': id } },
});

describe('Workday fake: authentication', () => {
  it('answers a wrong password with an authenticationError SOAP fault', async () => {
    const f = await startFake();

    const response = await soap(f, { operation: 'Get_Candidates', password: 'wrong' });

    expect({ status: response.status, code: response.body.Fault?.faultcode }).toEqual({
      status: 500,
      code: 'SOAP-ENV:Client.authenticationError',
    });
  });

  it('refuses the user name without the @tenant suffix', async () => {
    const f = await startFake();

    const response = await soap(f, { operation: 'Get_Candidates', user: f.username });

    expect(response.body.Fault?.faultcode).toBe('SOAP-ENV:Client.authenticationError');
  });

  it('accepts a configured bearer token without WS-Security', async () => {
    const f = await startFake({ accessTokens: ['t-1'] });

    const response = await soap(f, { operation: 'Get_Candidates', bearer: 't-1' });

    expect(response.status).toBe(200);
  });

  it('answers an unknown tenant path with 404', async () => {
    const f = await startFake();

    const response = await fetch(`${f.url}/ccx/service/other/Recruiting/v42.1`, {
      method: 'POST',
      body: '<x/>',
    });

    expect(response.status).toBe(404);
  });
});

describe('Workday fake: paging', () => {
  it('reports Total_Results, Total_Pages, Page_Results and Page', async () => {
    const f = await startFake({ candidates: 25 });

    const response = await soap(f, { operation: 'Get_Candidates', payload: filter(3, 10) });

    expect(response.body.Get_Candidates_Response.Response_Results).toEqual({
      Total_Results: '25',
      Total_Pages: '3',
      Page_Results: '5',
      Page: '3',
    });
  });

  it('refuses Page 0 with a validation fault', async () => {
    const f = await startFake();

    const response = await soap(f, { operation: 'Get_Candidates', payload: filter(0, 10) });

    expect({ status: response.status, code: response.body.Fault?.faultcode }).toEqual({
      status: 500,
      code: 'SOAP-ENV:Client.validationError',
    });
  });

  it('accepts Count 999', async () => {
    const f = await startFake();

    const response = await soap(f, { operation: 'Get_Candidates', payload: filter(1, 999) });

    expect(response.status).toBe(200);
  });

  it('refuses Count 1000 with a validation fault', async () => {
    const f = await startFake();

    const response = await soap(f, { operation: 'Get_Candidates', payload: filter(1, 1000) });

    expect(response.body.Fault?.faultcode).toBe('SOAP-ENV:Client.validationError');
  });

  it('serves the same page for a fixed As_Of_Entry_DateTime after later changes', async () => {
    const f = await startFake({ candidates: 20 });
    const asOf = f.clock.now().toISOString();
    const before = await soap(f, { operation: 'Get_Candidates', payload: filter(1, 50, asOf) });
    f.clock.advance(60_000);
    f.state.addCandidate({ requisitionIds: ['R-00001'] });
    f.state.editCandidate('C-000001', { lastName: 'Changed' });

    const after = await soap(f, { operation: 'Get_Candidates', payload: filter(1, 50, asOf) });

    expect(after.text).toBe(before.text);
  });

  it('serves the later changes without a fixed As_Of time', async () => {
    const f = await startFake({ candidates: 20 });
    f.clock.advance(60_000);
    f.state.addCandidate();

    const response = await soap(f, { operation: 'Get_Candidates', payload: filter(1, 50) });

    expect(response.body.Get_Candidates_Response.Response_Results.Total_Results).toBe('21');
  });

  it('generates the same data for the same seed', async () => {
    const first = await startWorkdayFake({ seed: 9, candidates: 15 });
    const second = await startWorkdayFake({ seed: 9, candidates: 15 });
    const [a, b] = await Promise.all([
      soap(first, { operation: 'Get_Candidates', payload: filter(1, 50) }),
      soap(second, { operation: 'Get_Candidates', payload: filter(1, 50) }),
    ]);
    await Promise.all([first.stop(), second.stop()]);

    expect(a.text).toBe(b.text);
  });

  it('holds 10,000 candidates cheaply', async () => {
    const started = performance.now();
    const f = await startFake({ candidates: 10_000 });

    const response = await soap(f, { operation: 'Get_Candidates', payload: filter(1, 1) });

    expect({
      total: response.body.Get_Candidates_Response.Response_Results.Total_Results,
      fast: performance.now() - started < 3_000,
    }).toEqual({ total: '10000', fast: true });
  });
});

describe('Workday fake: transaction log', () => {
  it('selects only candidates with transactions entered in the Updated range', async () => {
    const f = await startFake();
    const from = f.clock.now().toISOString();
    f.clock.advance(60_000);
    f.state.editCandidate('C-000004', { phone: '+1-555-0000' });
    f.clock.advance(60_000);

    const response = await soap(f, {
      operation: 'Get_Candidates',
      payload: {
        ...criteria(window({ Updated_From: from, Updated_Through: f.clock.now().toISOString() })),
        ...filter(1, 100),
      },
    });

    expect(candidateIds(response.body)).toEqual(['C-000004']);
  });

  it('shows a future-dated change only once an Effective range covers it', async () => {
    const f = await startFake();
    const application = f.state.liveApplications()[0];
    const from = f.clock.now().toISOString();
    f.state.moveApplication(application?.id ?? '', 'STEP-READY-FOR-HIRE', {
      effectiveAt: f.clock.nowMs() + DAY_MS,
    });
    const asOfNow = f.clock.now().toISOString();
    const beforeEffective = await soap(f, {
      operation: 'Get_Candidates',
      payload: {
        ...criteria(window({ Effective_From: from, Effective_Through: asOfNow })),
        ...filter(1, 100),
      },
    });
    f.clock.advance(2 * DAY_MS);

    const afterEffective = await soap(f, {
      operation: 'Get_Candidates',
      payload: {
        ...criteria(window({ Effective_From: from, Effective_Through: f.clock.now().toISOString() })),
        ...filter(1, 100),
      },
    });

    expect({ before: candidateIds(beforeEffective.body), after: candidateIds(afterEffective.body) }).toEqual({
      before: [],
      after: [f.state.candidateIdOfApplication(application?.id ?? '')],
    });
  });

  it('treats several criteria as alternatives', async () => {
    const f = await startFake();
    const from = f.clock.now().toISOString();
    f.clock.advance(60_000);
    f.state.editCandidate('C-000002', { phone: '+1-555-0002' });
    f.state.editCandidate('C-000007', { phone: '+1-555-0007' }, { effectiveAt: f.clock.nowMs() + DAY_MS });
    f.clock.advance(2 * DAY_MS);
    const now = f.clock.now().toISOString();

    const response = await soap(f, {
      operation: 'Get_Candidates',
      payload: {
        ...criteria(
          window({ Updated_From: from, Updated_Through: now, Effective_Through: from }),
          window({
            Effective_From: new Date(Date.parse(from) + DAY_MS / 2).toISOString(),
            Effective_Through: now,
          }),
        ),
        ...filter(1, 100),
      },
    });

    expect(candidateIds(response.body)).toEqual(['C-000007']);
  });

  it('filters by transaction type', async () => {
    const f = await startFake();
    const from = f.clock.now().toISOString();
    f.clock.advance(60_000);
    f.state.editCandidate('C-000003', { phone: '+1-555-0003' });
    const moved = f.state
      .liveApplications()
      .find((a) => a.dispositionId === null && a.stepId === 'STEP-REVIEW');
    f.state.moveApplication(moved?.id ?? '', 'STEP-OFFER');

    const response = await soap(f, {
      operation: 'Get_Candidates',
      payload: { ...criteria(window({ Updated_From: from }, ['Edit Candidate'])), ...filter(1, 100) },
    });

    expect(candidateIds(response.body)).toEqual(['C-000003']);
  });

  it('flags a rescinded application and its rescind in the log and drops the application', async () => {
    const f = await startFake();
    const application = f.state.liveApplications()[0];
    const from = f.clock.now().toISOString();
    f.clock.advance(60_000);
    f.state.rescindApplication(application?.id ?? '');

    const response = await soap(f, {
      operation: 'Get_Candidates',
      payload: { ...criteria(window({ Updated_From: from })), ...filter(1, 100), ...includeLog },
    });
    const candidate = response.body.Get_Candidates_Response.Response_Data.Candidate[0];
    const flagged = candidate.Transaction_Log_Entry_Data.Transaction_Log_Entry.filter(
      (e: Parsed) => e.Transaction_Log_Data.Is_Rescind_Or_Rescinded === '1',
    ).map((e: Parsed) => e.Transaction_Log_Data.Transaction_Log_Type_Reference['@_Descriptor']);
    const listed = (candidate.Candidate_Data.Job_Application_Data ?? []).map(
      (a: Parsed) => a.Job_Applied_To_Data.Job_Application_ID,
    );

    expect({ flagged, listed: listed.includes(application?.id) }).toEqual({
      flagged: ['Job Application', 'Rescind'],
      listed: false,
    });
  });

  it('returns a rescinded candidate with its reference and log only', async () => {
    const f = await startFake();
    const from = f.clock.now().toISOString();
    f.clock.advance(60_000);
    f.state.rescindCandidate('C-000005');

    const response = await soap(f, {
      operation: 'Get_Candidates',
      payload: { ...criteria(window({ Updated_From: from })), ...filter(1, 100), ...includeLog },
    });
    const candidate = response.body.Get_Candidates_Response.Response_Data.Candidate[0];

    expect({
      id: candidateIds(response.body),
      hasData: 'Candidate_Data' in candidate,
      hasLog: 'Transaction_Log_Entry_Data' in candidate,
    }).toEqual({ id: ['C-000005'], hasData: false, hasLog: true });
  });

  it('applies a correction in place and flags both entries', async () => {
    const f = await startFake();
    const from = f.clock.now().toISOString();
    f.clock.advance(60_000);
    f.state.correctCandidate('C-000006', { firstName: 'Corrected' });

    const response = await soap(f, {
      operation: 'Get_Candidates',
      payload: { ...criteria(window({ Updated_From: from })), ...filter(1, 100), ...includeLog },
    });
    const candidate = response.body.Get_Candidates_Response.Response_Data.Candidate[0];
    const corrections = candidate.Transaction_Log_Entry_Data.Transaction_Log_Entry.filter(
      (e: Parsed) => e.Transaction_Log_Data.Is_Correction_Or_Corrected === '1',
    ).length;

    expect({
      name: candidate.Candidate_Data.Name_Data.Legal_Name.Name_Detail_Data.First_Name,
      corrections,
    }).toEqual({ name: 'Corrected', corrections: 2 });
  });
});

describe('Workday fake: Move_Candidate', () => {
  function open(f: WorkdayFake, stepId: string) {
    const application = f.state
      .liveApplications()
      .find((a) => a.stepId === stepId && a.dispositionId === null);
    if (!application) throw new Error(`no open application in ${stepId}`);
    return application;
  }

  it('moves forward with Next_Step_Reference and answers with an event reference', async () => {
    const f = await startFake();
    const application = open(f, 'STEP-REVIEW');

    const response = await soap(f, {
      operation: 'Move_Candidate',
      payload: moveData(application.id, nextStep('STEP-OFFER')),
    });

    expect({
      event: response.body.Move_Candidate_Response?.Event_Reference?.ID?.[0]?.['@_type'],
      step: f.state.application(application.id)?.stepId,
    }).toEqual({ event: 'WID', step: 'STEP-OFFER' });
  });

  it('refuses a step that does not follow the current step', async () => {
    const f = await startFake();
    const application = open(f, 'STEP-REVIEW');
    f.state.moveApplication(application.id, 'STEP-OFFER');

    const response = await soap(f, {
      operation: 'Move_Candidate',
      payload: moveData(application.id, nextStep('STEP-SCREEN')),
    });

    expect({
      code: response.body.Fault?.faultcode,
      step: f.state.application(application.id)?.stepId,
    }).toEqual({
      code: 'SOAP-ENV:Client.validationError',
      step: 'STEP-OFFER',
    });
  });

  it('accepts Recruiting_Stage_Reference as an alternative to the workflow step', async () => {
    const f = await startFake();
    const application = open(f, 'STEP-REVIEW');
    const reference = {
      'bsvc:Recruiting_Stage_Reference': {
        'bsvc:ID': { '@_bsvc:type': 'Recruiting_Stage_ID', '#text': 'Interview' },
      },
    };

    await soap(f, { operation: 'Move_Candidate', payload: moveData(application.id, reference) });

    expect(f.state.application(application.id)?.stepId).toBe('STEP-INTERVIEW');
  });

  it('dispositions with Disposition_Step_Reference and records the disposition', async () => {
    const f = await startFake();
    const application = open(f, 'STEP-SCREEN');
    const reference = {
      'bsvc:Disposition_Step_Reference': {
        'bsvc:ID': { '@_bsvc:type': 'Workflow_Step_ID', '#text': 'STEP-WITHDRAWN' },
      },
    };

    await soap(f, { operation: 'Move_Candidate', payload: moveData(application.id, reference) });

    expect(f.state.application(application.id)?.dispositionId).toBe('Candidate_Withdrew');
  });

  it('refuses to move a dispositioned application', async () => {
    const f = await startFake();
    const application = open(f, 'STEP-REVIEW');
    f.state.dispositionApplication(application.id);

    const response = await soap(f, {
      operation: 'Move_Candidate',
      payload: moveData(application.id, nextStep('STEP-OFFER')),
    });

    expect(response.body.Fault?.faultcode).toBe('SOAP-ENV:Client.validationError');
  });

  it('refuses an unknown job application id', async () => {
    const f = await startFake();

    const response = await soap(f, {
      operation: 'Move_Candidate',
      payload: moveData('JA-404', nextStep('STEP-OFFER')),
    });

    expect(response.body.Fault?.faultstring).toContain(
      "is not a valid ID value for type = 'Job_Application_ID'",
    );
  });
});

describe('Workday fake: throttling and failure injection', () => {
  it('throttles beyond the configured limit with the configured status and Retry-After', async () => {
    const f = await startFake({ throttle: { limit: 2, windowMs: 10_000 } });
    await soap(f, { operation: 'Get_Job_Requisitions' });
    await soap(f, { operation: 'Get_Job_Requisitions' });

    const third = await soap(f, { operation: 'Get_Job_Requisitions' });

    expect({ status: third.status, retryAfter: third.headers.get('retry-after') }).toEqual({
      status: 429,
      retryAfter: '10',
    });
  });

  it('lets requests through again once the window has passed on the fake clock', async () => {
    const f = await startFake({ throttle: { limit: 1, windowMs: 10_000 }, throttleStatus: 503 });
    await soap(f, { operation: 'Get_Job_Requisitions' });
    const refused = await soap(f, { operation: 'Get_Job_Requisitions' });
    f.clock.advance(10_000);

    const allowed = await soap(f, { operation: 'Get_Job_Requisitions' });

    expect([refused.status, allowed.status]).toEqual([503, 200]);
  });

  it('answers injected failures before serving again', async () => {
    const f = await startFake();
    f.failNext(1, { kind: 'status', status: 502, body: 'bad gateway' });

    const first = await soap(f, { operation: 'Get_Job_Requisitions' });
    const second = await soap(f, { operation: 'Get_Job_Requisitions' });

    expect([first.status, second.status]).toEqual([502, 200]);
  });

  it('adds the configured latency', async () => {
    const f = await startFake({ latencyMs: 60 });
    const started = performance.now();

    await soap(f, { operation: 'Get_Job_Requisitions' });

    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});
