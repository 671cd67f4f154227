import type { BamboohrFake } from '../fakes/bamboohr/index.js';

/**
 * Live applications at the BambooHR fake that are their applicant's only one: the hub stores those (an applicant
 * on several jobs is one candidate with several applications, and tests pick single ones to follow).
 */
export function soleApplications(fake: BamboohrFake) {
  const perApplicant = new Map<number, number>();
  for (const a of fake.state.liveApplications())
    perApplicant.set(a.applicant.id, (perApplicant.get(a.applicant.id) ?? 0) + 1);
  return fake.state.liveApplications().filter((a) => perApplicant.get(a.applicant.id) === 1);
}

/** The `skip`-th sole application matching `match`; throws when the seed has none. */
export function soleApplication(
  fake: BamboohrFake,
  match: (a: ReturnType<typeof soleApplications>[number]) => boolean,
  skip = 0,
) {
  const found = soleApplications(fake).filter(match)[skip];
  if (!found) throw new Error('the seed has no such application');
  return found;
}
