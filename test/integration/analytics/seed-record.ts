/**
 * Interviews, offers and rejection reasons on top of the funnel fixture (seed.ts), inserted as the owner.
 * Hours are offsets from T0 like seed.ts; the application's creation hour is in brackets.
 *
 *  app        interviews (start hour, status)                  offers (status, sent hour)     rejection reason
 *  a1 [0]     I1 40 completed, I2 60 completed                  O1 accepted, sent 85
 *  a2 [24]    I3 50 completed, I4 30 cancelled                  O2 draft, not sent
 *  a3 [48]                                                                                     "Not a fit" (rejected)
 *  a5 [96]    I9 100 completed but DELETED                                                     "Salary" (still active)
 *  a6 [120]   I5 126 scheduled                                  O3 declined, no send time
 *  a7 [130]   I6 100 no_show (imported, before the application)
 *  a8 [10]    I8 15 completed (application DELETED)
 *  b1 [30]    I7 70 completed                                   O4 withdrawn, sent 74
 *  b2 [400]                                                                                    "Not a fit" (rejected)
 *  c1 (org B) I10 5 completed                                   O5 accepted, sent 3
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../../shared/db/client.js';
import { at, type FunnelSeed } from './seed.js';

type Interview = [app: string, startHour: number, status: string, deleted?: boolean];
const INTERVIEWS: Interview[] = [
  ['a1', 40, 'completed'],
  ['a1', 60, 'completed'],
  ['a2', 50, 'completed'],
  ['a2', 30, 'cancelled'],
  ['a5', 100, 'completed', true],
  ['a6', 126, 'scheduled'],
  ['a7', 100, 'no_show'],
  ['a8', 15, 'completed'],
  ['b1', 70, 'completed'],
  ['c1', 5, 'completed'],
];

type Offer = [app: string, status: string, sentHour: number | null];
const OFFERS: Offer[] = [
  ['a1', 'accepted', 85],
  ['a2', 'draft', null],
  ['a6', 'declined', null],
  ['b1', 'withdrawn', 74],
  ['c1', 'accepted', 3],
];

export async function seedRecord(owner: Sql, seed: FunnelSeed): Promise<void> {
  const orgOf = (app: string) => (app.startsWith('c') ? seed.orgB : seed.orgA);
  for (const [app, hour, status, deleted] of INTERVIEWS) {
    await owner`
      insert into interviews (id, organization_id, application_id, title, start_at, end_at, status, source, deleted_at)
      values (${randomUUID()}, ${orgOf(app)}, ${seed.apps[app]!}, 'Technical interview', ${at(hour)}, ${at(hour + 1)},
        ${status}, 'greenhouse', ${deleted ? at(600) : null})`;
  }
  for (const [app, status, sentHour] of OFFERS) {
    await owner`
      insert into offers (id, organization_id, application_id, status, sent_at, source)
      values (${randomUUID()}, ${orgOf(app)}, ${seed.apps[app]!}, ${status}, ${sentHour === null ? null : at(sentHour)},
        'greenhouse')`;
  }
  const notAFit = randomUUID();
  const salary = randomUUID();
  await owner`insert into rejection_reasons (id, organization_id, name, source)
    values (${notAFit}, ${seed.orgA}, 'Not a fit', 'greenhouse'), (${salary}, ${seed.orgA}, 'Salary', 'hub')`;
  await owner`update applications set rejection_reason_id = ${notAFit} where id in ${owner([seed.apps.a3!, seed.apps.b2!])}`;
  await owner`update applications set rejection_reason_id = ${salary} where id = ${seed.apps.a5!}`;
}
