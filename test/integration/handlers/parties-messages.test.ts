/**
 * Messages between the parties of an application and the agency's part of the pipeline (docs/parties.md): a thread
 * addressed to all parties or one, read receipts per recipient organization, a message.created event for each
 * recipient; the agency moves its submission through the portal stages only.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { partiesApi } from '../../support/parties-api.js';

const { w, call, submit, count } = partiesApi();
let applicationId: string;

beforeAll(async () => {
  const res = await submit(w.world.agencies[0].keys.portal, w.world.jobId, `m.${randomUUID()}@example.com`);
  applicationId = res.body.application.id;
});

const send = (key: string, body: unknown) =>
  call('POST /applications/{id}/messages', key, { params: { id: applicationId }, body });
const list = (key: string) => call('GET /applications/{id}/messages', key, { params: { id: applicationId } });

describe('messages', () => {
  it('addresses all parties with a receipt for each other party', async () => {
    const res = await send(w.world.employer.keys.ats, {
      body: 'Can you share availability?',
      to: 'all_parties',
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ to: 'all_parties', fromOrganizationId: w.world.employer.id });
    expect(res.body.receipts.map((r: { organizationId: string }) => r.organizationId).sort()).toEqual(
      [w.world.agencies[0].id, w.world.platform.id].sort(),
    );
  });

  it('names the user whose personal key sent it', async () => {
    const created = await call('POST /users', w.world.employer.keys.admin, {
      body: { email: `r.${randomUUID()}@example.com`, name: 'Mary Jackson', role: 'recruiter' },
    });

    const res = await send(created.body.apiKey, { body: 'Shortlisted on our side', to: 'all_parties' });

    expect([res.status, res.body.authorUserId]).toEqual([201, created.body.id]);
  });

  it('publishes message.created to each recipient organization', async () => {
    const sent = await send(w.world.employer.keys.ats, {
      body: 'Interview booked',
      to: w.world.agencies[0].id,
    });

    const events = w.notify.sent
      .map((m) => JSON.parse(m.body))
      .filter((m) => m.eventType === 'message.created' && m.aggregateId === sent.body.id);

    expect(events.map((e) => e.organizationId)).toEqual([w.world.agencies[0].id]);
  });

  it('marks read for the reader’s organization only, and shows it to the sender', async () => {
    const sent = await send(w.world.employer.keys.ats, { body: 'Offer coming', to: 'all_parties' });

    const read = await call('POST /messages/{id}/read', w.world.agencies[0].keys.portal, {
      params: { id: sent.body.id },
    });
    const thread = await list(w.world.employer.keys.ats);

    expect(read.status).toBe(200);
    const receipts = thread.body.items.find((m: { id: string }) => m.id === sent.body.id).receipts;
    expect(Object.fromEntries(receipts.map((r: any) => [r.organizationId, r.readAt !== null]))).toEqual({
      [w.world.agencies[0].id]: true,
      [w.world.platform.id]: false,
    });
  });

  it('keeps a message to the platform from the agency', async () => {
    const sent = await send(w.world.employer.keys.ats, { body: 'Fee question', to: w.world.platform.id });

    const thread = await list(w.world.agencies[0].keys.portal);

    expect(thread.body.items.map((m: { id: string }) => m.id)).not.toContain(sent.body.id);
  });

  it('answers 404 for an organization that is not a party, and writes nothing', async () => {
    const before = await count('messages');

    const res = await send(w.world.employer.keys.ats, { body: 'Hello', to: w.world.agencies[1].id });

    expect(res.status).toBe(404);
    expect(await count('messages')).toBe(before);
  });

  it('answers 404 to another agency reading the thread', async () => {
    const res = await list(w.world.agencies[1].keys.portal);

    expect(res.status).toBe(404);
  });
});

describe('the agency in the pipeline', () => {
  it('moves its submission through the portal stages', async () => {
    const res = await call('POST /applications/{id}/stage', w.world.agencies[0].keys.portal, {
      params: { id: applicationId },
      body: { toStage: 'Shortlist' },
    });

    expect(res.status).toBe(200);
    expect(res.body.transition).toMatchObject({ from: 'Screening', to: 'Shortlist' });
  });

  it('may not move it into the employer’s stages', async () => {
    const own = await submit(w.world.agencies[0].keys.portal, w.world.jobId, `s.${randomUUID()}@example.com`);
    const id = own.body.application.id;
    for (const toStage of ['Shortlist', 'Client Endorsement']) {
      await call('POST /applications/{id}/stage', w.world.agencies[0].keys.portal, {
        params: { id },
        body: { toStage },
      });
    }

    const res = await call('POST /applications/{id}/stage', w.world.agencies[0].keys.portal, {
      params: { id },
      body: { toStage: 'Interview' },
    });

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('STAGE_NOT_OWNED');
  });
});
