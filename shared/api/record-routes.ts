/**
 * Routes of the full ATS record (docs/api.md, "The full ATS record"), appended to the contract table by
 * shared/api/contract.ts. Staff only: the portal role reads none of the record.
 */
import type * as z from 'zod';
import type { AnyContract, RouteContract } from '../http/types.js';
import { errorBody } from './common.js';
import {
  type CandidateListQuery,
  type CreateNoteBody,
  type CreateRejectionReasonBody,
  candidateListQuery,
  candidatePage,
  candidateTagsView,
  candidateView,
  createNoteBody,
  createRejectionReasonBody,
  idParams,
  interviewPage,
  interviewView,
  type ListQuery,
  listQuery,
  notePage,
  noteView,
  offerPage,
  rejectionReasonPage,
  rejectionReasonView,
  replaceTagsBody,
  type ScheduleInterviewBody,
  type SubmitScorecardBody,
  scheduleInterviewBody,
  scorecardPage,
  scorecardView,
  submitScorecardBody,
  tagPage,
  type UpdateCandidateBody,
  type UpdateInterviewBody,
  updateCandidateBody,
  updateInterviewBody,
} from './record.js';

const err = (description: string) => ({ description, schema: errorBody });
const staff: ('ats' | 'admin')[] = ['ats', 'admin'];
type Id = { id: string };

const readResponses = (description: string, schema: z.ZodType) => ({
  200: { description, schema },
  400: err('VALIDATION_FAILED (a malformed cursor or filter)'),
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN'),
  404: err('NOT_FOUND'),
});

const writeResponses = (status: number, description: string, schema: z.ZodType) => ({
  [status]: { description, schema },
  400: err('VALIDATION_FAILED (unknown fields too) or MALFORMED_JSON'),
  401: err('UNAUTHORIZED'),
  403: err('FORBIDDEN'),
  404: err('NOT_FOUND'),
  413: err('PAYLOAD_TOO_LARGE'),
  415: err('UNSUPPORTED_MEDIA_TYPE'),
});

/** An application's list of one kind of record, oldest first. */
const applicationList = (
  kind: string,
  schema: z.ZodType,
  summary: string,
): RouteContract<unknown, ListQuery, Id> => ({
  method: 'GET',
  path: `/applications/{id}/${kind}`,
  summary,
  access: staff,
  bodyKind: 'none',
  params: idParams,
  query: listQuery,
  responses: readResponses('page', schema),
});

export const listCandidates: RouteContract<unknown, CandidateListQuery> = {
  method: 'GET',
  path: '/candidates',
  summary: 'Candidates, recently updated first; filter by email, tag or update time',
  access: staff,
  bodyKind: 'none',
  query: candidateListQuery,
  responses: readResponses('page', candidatePage),
};

export const getCandidate: RouteContract<unknown, unknown, Id> = {
  method: 'GET',
  path: '/candidates/{id}',
  summary: 'One candidate with contacts, tags, applications, attachments and remote ids',
  access: staff,
  bodyKind: 'none',
  params: idParams,
  responses: readResponses('candidate', candidateView),
};

export const updateCandidate: RouteContract<UpdateCandidateBody, unknown, Id> = {
  method: 'PATCH',
  path: '/candidates/{id}',
  summary: "Change a candidate's name, emails (primary first), phones, company or title",
  access: staff,
  body: updateCandidateBody,
  params: idParams,
  responses: writeResponses(200, 'changed', candidateView),
};

export const replaceCandidateTags: RouteContract<z.infer<typeof replaceTagsBody>, unknown, Id> = {
  method: 'PUT',
  path: '/candidates/{id}/tags',
  summary: "Replace a candidate's tag set; a change goes to the providers that take tags",
  access: staff,
  body: replaceTagsBody,
  params: idParams,
  responses: writeResponses(200, 'the tag set now', candidateTagsView),
};

export const listTags: RouteContract<unknown, ListQuery> = {
  method: 'GET',
  path: '/tags',
  summary: 'Tags of the organization, by name',
  access: staff,
  bodyKind: 'none',
  query: listQuery,
  responses: readResponses('page', tagPage),
};

export const listInterviews = applicationList(
  'interviews',
  interviewPage,
  'Interviews of an application, by start time',
);

export const scheduleInterview: RouteContract<ScheduleInterviewBody, unknown, Id> = {
  method: 'POST',
  path: '/applications/{id}/interviews',
  summary: 'Schedule an interview (event interview.scheduled)',
  access: staff,
  body: scheduleInterviewBody,
  params: idParams,
  responses: writeResponses(201, 'scheduled', interviewView),
};

export const updateInterview: RouteContract<UpdateInterviewBody, unknown, Id> = {
  method: 'PATCH',
  path: '/interviews/{id}',
  summary: 'Reschedule, complete or cancel a scheduled interview',
  access: staff,
  body: updateInterviewBody,
  params: idParams,
  responses: {
    ...writeResponses(200, 'changed', interviewView),
    422: err('INVALID_TRANSITION: the interview is no longer scheduled'),
  },
};

export const listScorecards = applicationList(
  'scorecards',
  scorecardPage,
  'Scorecards of an application, by submission time',
);

export const submitScorecard: RouteContract<SubmitScorecardBody, unknown, Id> = {
  method: 'POST',
  path: '/interviews/{id}/scorecards',
  summary: "Submit an interviewer's scorecard for an interview (event scorecard.submitted)",
  access: staff,
  body: submitScorecardBody,
  params: idParams,
  responses: writeResponses(201, 'submitted', scorecardView),
};

export const listOffers = applicationList('offers', offerPage, 'Offers of an application, oldest first');

export const listNotes = applicationList(
  'notes',
  notePage,
  "Notes of an application and the candidate's notes on no application, oldest first; private notes only to their author",
);

export const createNote: RouteContract<CreateNoteBody, unknown, Id> = {
  method: 'POST',
  path: '/applications/{id}/notes',
  summary: 'Write a note on an application; pushed to the providers that take notes',
  access: staff,
  body: createNoteBody,
  params: idParams,
  responses: writeResponses(201, 'created', noteView),
};

export const listRejectionReasons: RouteContract<unknown, ListQuery> = {
  method: 'GET',
  path: '/rejection-reasons',
  summary: "Rejection reasons, the hub's and the providers', by name",
  access: staff,
  bodyKind: 'none',
  query: listQuery,
  responses: readResponses('page', rejectionReasonPage),
};

export const createRejectionReason: RouteContract<CreateRejectionReasonBody> = {
  method: 'POST',
  path: '/rejection-reasons',
  summary: 'Add a rejection reason of the hub',
  access: ['admin'],
  body: createRejectionReasonBody,
  responses: writeResponses(201, 'created', rejectionReasonView),
};

export const recordContracts: AnyContract[] = [
  listCandidates,
  getCandidate,
  updateCandidate,
  replaceCandidateTags,
  listTags,
  listInterviews,
  scheduleInterview,
  updateInterview,
  listScorecards,
  submitScorecard,
  listOffers,
  listNotes,
  createNote,
  listRejectionReasons,
  createRejectionReason,
];
