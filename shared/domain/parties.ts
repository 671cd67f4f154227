import { notFound } from './errors.js';

/** The organizations an application involves (docs/parties.md). */
export interface PartiesOfApplication {
  /** The receiving organization: the job's. */
  organization_id: string;
  submitting_organization_id: string;
  /** The platform that brokered an agency's submission. */
  platform_organization_id: string | null;
}

/** Receiving, submitting and brokering organizations, each once (a direct application has one party). */
export function partiesOf(app: PartiesOfApplication): string[] {
  return [
    ...new Set([app.organization_id, app.submitting_organization_id, app.platform_organization_id]),
  ].filter((id): id is string => id !== null);
}

/** Who receives a message: every other party, or the one named (404 unless it is another party). */
export function recipientsOf(
  app: PartiesOfApplication,
  sender: string,
  to: 'all_parties' | string,
): string[] {
  const others = partiesOf(app).filter((id) => id !== sender);
  if (to === 'all_parties') return others;
  if (!others.includes(to)) throw notFound('organization among the parties of this application');
  return [to];
}
