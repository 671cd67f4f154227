/**
 * The step a job application is in now, read back from Workday after `Move_Candidate` was refused. The fault
 * Workday answers names no step in a form we may rely on, and a retried move whose first write landed meets
 * the same guard as a stale one: only the application's current step tells them apart (docs/providers.md §5.4).
 * Read by `Get_Candidates` with the candidate's reference, mapped as the sync maps applications.
 */
import { candidatesResponseSchema } from './parse.js';
import { candidateSchema } from './schemas.js';
import type { WorkdaySoap } from './soap-call.js';
import { lookupCandidatesRequest } from './submission-requests.js';
import { type ApplicationMapping, toApplications, WorkdayMappingError } from './to-application.js';
import { candidateRemoteId } from './to-candidate.js';

/**
 * The application's stage id as the sync reads it, or null when Workday does not say (a fault, an answer of
 * another shape, the application not among the candidate's). Throttling and outages still throw.
 */
export async function currentStepOf(
  soap: WorkdaySoap,
  version: string,
  mapping: ApplicationMapping,
  ids: { candidateRemoteId: string; applicationRemoteId: string },
): Promise<string | null> {
  const outcome = await soap.call(
    'Get_Candidates',
    lookupCandidatesRequest(version, { candidateId: ids.candidateRemoteId }, { attachments: false }),
  );
  if (!outcome.ok) return null;
  const response = candidatesResponseSchema.safeParse(outcome.body['Get_Candidates_Response']);
  if (!response.success) return null;
  for (const item of response.data.items) {
    const candidate = candidateSchema.safeParse(item);
    if (!candidate.success || candidateRemoteId(candidate.data) !== ids.candidateRemoteId) continue;
    try {
      const application = toApplications(candidate.data, mapping).find(
        (a) => a.remoteId === ids.applicationRemoteId,
      );
      return application?.stage?.remoteId ?? null;
    } catch (error) {
      if (error instanceof WorkdayMappingError) return null;
      throw error;
    }
  }
  return null;
}
