import { describe, expect, it } from 'vitest';
import {
  applyPage,
  remoteApplication,
  remoteCandidate,
  remoteJob,
  syncScope,
  T0,
  T1,
  T2,
} from '../../../support/ats-records.js';
import { emptiedDatabase, seedIntegration } from '../harness.js';

const db = emptiedDatabase();

async function world() {
  return syncScope(await seedIntegration(db.owner, 'greenhouse', {}));
}

const candidate = async () => {
  const [row] = await db.owner<
    { xmin: string; emails: unknown; phones: unknown; company: string | null; title: string | null }[]
  >`select xmin::text, emails, phones, company, title from candidates`;
  return row;
};

const tagsOf = async () =>
  (
    await db.owner<{ name: string; source: string }[]>`
      select g.name, ct.source from candidate_tags ct join tags g on g.id = ct.tag_id order by g.name`
  ).map((r) => `${r.name}:${r.source}`);

const attachments = () =>
  db.owner<{ file_name: string; deleted: boolean; remote_id: string }[]>`
    select a.file_name, a.deleted_at is not null as deleted, r.remote_id from candidate_attachments a
    join external_refs r on r.local_id = a.id and r.object_type = 'attachment' order by r.remote_id`;

/** Every attachment row with its row version: an unchanged list proves a pass wrote none. */
const attachmentVersions = async () =>
  (
    await db.owner<
      { v: string }[]
    >`select id::text || ':' || xmin::text as v from candidate_attachments order by id`
  ).map((r) => r.v);

const detailed = remoteCandidate({
  emails: [
    { value: 'grace@example.com', type: 'personal' },
    { value: 'g.hopper@navy.example', type: 'work' },
  ],
  phones: [{ value: '+1 555 0100', type: 'mobile' }],
  company: 'US Navy',
  title: 'Rear Admiral',
  tags: ['COBOL', 'Compilers'],
  attachments: [{ remoteId: 'att-1', fileName: 'cv.pdf', type: 'resume', applicationRemoteId: null }],
});

/** A first import as Greenhouse orders it: the candidate's page (with its attachment) before the application's. */
async function importedBeforeItsApplication() {
  const scope = await world();
  await applyPage(db.app, scope, 'job', [remoteJob()]);
  const candidate = {
    ...detailed,
    attachments: [
      { remoteId: 'att-1', fileName: 'cv.pdf', type: 'resume' as const, applicationRemoteId: 'app-1' },
    ],
  };
  await applyPage(db.app, scope, 'candidate', [candidate]);
  await applyPage(db.app, scope, 'application', [remoteApplication()]);
  return { scope, candidate };
}

describe('candidate details from the provider', () => {
  it('stores emails, phones, company and title', async () => {
    const scope = await world();

    await applyPage(db.app, scope, 'candidate', [detailed]);

    expect(await candidate()).toMatchObject({
      emails: detailed.emails,
      phones: detailed.phones,
      company: 'US Navy',
      title: 'Rear Admiral',
    });
  });

  it('keeps what the hub has when the record does not report a detail', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [detailed]);

    await applyPage(db.app, scope, 'candidate', [
      remoteCandidate({ firstName: 'Amazing Grace', remoteUpdatedAt: T2 }),
    ]);

    expect(await candidate()).toMatchObject({ company: 'US Navy', emails: detailed.emails });
    expect(await tagsOf()).toEqual(['COBOL:greenhouse', 'Compilers:greenhouse']);
  });

  it('rewrites nothing when the same candidate, tags and attachments are synced again', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [detailed]);
    const before = await candidate();
    const [tagRows] = await db.owner<
      { n: string }[]
    >`select string_agg(xmin::text, ',') as n from candidate_tags`;

    const outcome = await applyPage(db.app, scope, 'candidate', [detailed]);

    expect(outcome).toMatchObject({ created: 0, updated: 0 });
    expect((await candidate())?.xmin).toBe(before?.xmin);
    const [after] = await db.owner<
      { n: string }[]
    >`select string_agg(xmin::text, ',') as n from candidate_tags`;
    expect(after?.n).toBe(tagRows?.n);
  });

  it('rewrites no attachment when the same attachments are synced again', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [detailed]);
    const before = await attachmentVersions();

    await applyPage(db.app, scope, 'candidate', [detailed]);

    expect(await attachmentVersions()).toEqual(before);
  });

  it('links an attachment synced before its application once the application is synced', async () => {
    await importedBeforeItsApplication();

    const [row] = await db.owner<{ linked: boolean }[]>`
      select a.application_id = p.id as linked from candidate_attachments a, applications p`;
    expect(row?.linked).toBe(true);
  });

  it('rewrites no attachment in the pass after the one that imported it before its application', async () => {
    const { scope, candidate } = await importedBeforeItsApplication();
    const before = await attachmentVersions();

    await applyPage(db.app, scope, 'candidate', [candidate]);

    expect(await attachmentVersions()).toEqual(before);
  });

  it("makes an attachment whose row is gone again under its ref's id, so the next pass rewrites nothing", async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [detailed]);
    // the row goes while its ref stays, as when a cascade or the document sweep removes what the ref names
    await db.owner`delete from candidate_attachments`;
    await applyPage(db.app, scope, 'candidate', [detailed]);
    const before = await attachmentVersions();

    await applyPage(db.app, scope, 'candidate', [detailed]);

    expect(await attachmentVersions()).toEqual(before);
  });

  it("replaces the provider's tags and keeps those the hub added", async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [detailed]);
    await db.owner`
      with t as (insert into tags (organization_id, name) values (${scope.organizationId}, 'Shortlist') returning id)
      insert into candidate_tags (organization_id, candidate_id, tag_id)
      select ${scope.organizationId}, (select id from candidates), id from t`;

    await applyPage(db.app, scope, 'candidate', [
      { ...detailed, tags: ['cobol', 'Navy'], remoteUpdatedAt: T1 },
    ]);

    expect(await tagsOf()).toEqual(['COBOL:greenhouse', 'Navy:greenhouse', 'Shortlist:hub']);
  });

  it('ignores the tags of an older record', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [{ ...detailed, remoteUpdatedAt: T2 }]);

    await applyPage(db.app, scope, 'candidate', [{ ...detailed, tags: [], remoteUpdatedAt: T0 }]);

    expect(await tagsOf()).toHaveLength(2);
  });

  it('links attachment metadata and soft-deletes what the provider no longer lists', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [detailed]);

    await applyPage(db.app, scope, 'candidate', [
      {
        ...detailed,
        attachments: [
          { remoteId: 'att-2', fileName: 'letter.pdf', type: 'cover_letter', applicationRemoteId: null },
        ],
        remoteUpdatedAt: T1,
      },
    ]);

    expect(await attachments()).toEqual([
      { file_name: 'cv.pdf', deleted: true, remote_id: 'att-1' },
      { file_name: 'letter.pdf', deleted: false, remote_id: 'att-2' },
    ]);
  });

  it('restores an attachment the provider lists again', async () => {
    const scope = await world();
    await applyPage(db.app, scope, 'candidate', [detailed]);
    await applyPage(db.app, scope, 'candidate', [{ ...detailed, attachments: [], remoteUpdatedAt: T1 }]);

    await applyPage(db.app, scope, 'candidate', [{ ...detailed, remoteUpdatedAt: T2 }]);

    expect((await attachments()).map((a) => a.deleted)).toEqual([false]);
  });
});
