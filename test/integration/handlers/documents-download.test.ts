import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Role, type ScanStatus, type WriteBackWorld, writeBackWorld } from './write-back-api.js';

let world: WriteBackWorld;

beforeAll(async () => {
  world = await writeBackWorld();
});

afterAll(async () => {
  await world?.close();
});

const download = (id: string, documentId: string, role: Role = 'ats') =>
  world.call('GET /applications/{id}/documents/{documentId}', { id, documentId }, role);

async function resume(scanStatus: ScanStatus, source = 'portal', bytes?: string) {
  const { id } = await world.application({ source });
  return { id, documentId: await world.document(id, scanStatus, bytes) };
}

describe('GET /applications/{id}/documents/{documentId}', () => {
  it('hands out a link to a clean resume that serves its bytes', async () => {
    const { id, documentId } = await resume('clean', 'portal', '%PDF- Grace Hopper');
    const res = await download(id, documentId);
    const served = await world.store.followLink(res.body.url);
    expect([res.status, served?.body.toString()]).toEqual([200, '%PDF- Grace Hopper']);
  });

  it('makes the link expire within five minutes', async () => {
    const { id, documentId } = await resume('clean');
    const res = await download(id, documentId, 'admin');
    const answeredAt = Date.now();
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt > answeredAt && expiresAt <= answeredAt + 5 * 60 * 1000).toBe(true);
  });

  it.each(['pending_upload', 'uploaded'] as const)(
    'answers 409 DOCUMENT_NOT_READY while %s',
    async (status) => {
      const { id, documentId } = await resume(status);
      const res = await download(id, documentId);
      expect([res.status, res.body.error.code]).toEqual([409, 'DOCUMENT_NOT_READY']);
    },
  );

  it.each(['infected', 'failed', 'rejected'] as const)(
    'answers 422 DOCUMENT_REJECTED when %s',
    async (status) => {
      const { id, documentId } = await resume(status);
      const res = await download(id, documentId);
      expect([res.status, res.body.error.code]).toEqual([422, 'DOCUMENT_REJECTED']);
    },
  );

  it("answers 404 for another application's document", async () => {
    const { documentId } = await resume('clean');
    const { id: other } = await world.application();
    const res = await download(other, documentId);
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('gives the portal a link to a resume it submitted', async () => {
    const { id, documentId } = await resume('clean', 'portal');
    const res = await download(id, documentId, 'portal');
    expect([res.status, typeof res.body.url]).toEqual([200, 'string']);
  });

  it('answers the portal 404 for a resume of an application it did not submit', async () => {
    const { id, documentId } = await resume('clean', 'greenhouse');
    const res = await download(id, documentId, 'portal');
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses a link that was altered', async () => {
    const { id, documentId } = await resume('clean');
    const res = await download(id, documentId);
    const altered = res.body.url.replace(/expires=\d+/, `expires=${Date.now() + 86_400_000}`);
    await expect(world.store.followLink(altered)).rejects.toThrow(/signature/);
  });
});
