/** The application and candidate webhook bodies the fake sends (docs/providers.md §2.5). */
import { iso, webhookApplication } from './serialize.js';
import type { GhApplication, GhState } from './state.js';

export function createApplicationEvents(
  state: GhState,
  application: (id: number) => GhApplication,
  now: () => number,
) {
  return {
    stageChange: (id: number) => ({
      action: 'candidate_stage_change',
      payload: { application: webhookApplication(application(id), state) },
    }),
    applicationUpdated: (id: number) => ({
      action: 'application_updated',
      payload: { application: webhookApplication(application(id), state) },
    }),
    /** docs/providers.md §2.5: `delete_application` has a flat payload. */
    deleteApplication: (app: { id: number; candidateId: number; jobId: number }) => ({
      action: 'delete_application',
      payload: {
        id: app.id,
        candidate_id: app.candidateId,
        job_id: app.jobId,
        created_at: iso(now()),
        prospect: false,
        rejected_by_user_id: null,
      },
    }),
    deleteCandidate: (
      c: { id: number; firstName: string; lastName: string },
      deletedApplicationIds: number[],
    ) => ({
      action: 'delete_candidate',
      payload: {
        person: {
          id: c.id,
          first_name: c.firstName,
          last_name: c.lastName,
          is_private: false,
          can_email: false,
          deleted_application_ids: deletedApplicationIds,
        },
      },
    }),
    mergeCandidate: (loser: { id: number; firstName: string; lastName: string }, winnerId: number) => ({
      action: 'merge_candidate',
      payload: {
        person: {
          id: loser.id,
          first_name: loser.firstName,
          last_name: loser.lastName,
          is_private: false,
          can_email: false,
          new_candidate_id: winnerId,
        },
      },
    }),
    ping: (webHookId: number) => ({ action: 'ping', payload: { web_hook_id: webHookId } }),
  };
}
