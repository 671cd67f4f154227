import * as api from '../../shared/api/record-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement, respond } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { getCandidate, getTags, listCandidates, replaceTags, updateCandidate } from './candidates.js';
import {
  changeInterview,
  getInterviews,
  getOffers,
  getScorecards,
  scheduleInterview,
  submitScorecard,
} from './interviews.js';
import { createNote, createRejectionReason, getNotes, getRejectionReasons } from './notes.js';

const deps = adapters();
const useCaseDeps = () => ({ sql: deps.sql(), queues: deps.queues(), clock: deps.clock });

export const routes = [
  implement(api.listCandidates, (r) => respond(200, listCandidates(useCaseDeps(), r.principal, r.query))),
  implement(api.getCandidate, (r) => respond(200, getCandidate(useCaseDeps(), r.principal, r.params.id))),
  implement(api.updateCandidate, (r) =>
    respond(200, updateCandidate(useCaseDeps(), r.principal, r.params.id, r.body)),
  ),
  implement(api.replaceCandidateTags, (r) =>
    respond(200, replaceTags(useCaseDeps(), r.principal, r.params.id, r.body.tags)),
  ),
  implement(api.listTags, (r) => respond(200, getTags(useCaseDeps(), r.principal, r.query))),
  implement(api.listInterviews, (r) =>
    respond(200, getInterviews(useCaseDeps(), r.principal, r.params.id, r.query)),
  ),
  implement(api.scheduleInterview, (r) =>
    respond(201, scheduleInterview(useCaseDeps(), r.principal, r.params.id, r.body)),
  ),
  implement(api.updateInterview, (r) =>
    respond(200, changeInterview(useCaseDeps(), r.principal, r.params.id, r.body)),
  ),
  implement(api.listScorecards, (r) =>
    respond(200, getScorecards(useCaseDeps(), r.principal, r.params.id, r.query)),
  ),
  implement(api.submitScorecard, (r) =>
    respond(201, submitScorecard(useCaseDeps(), r.principal, r.params.id, r.body)),
  ),
  implement(api.listOffers, (r) => respond(200, getOffers(useCaseDeps(), r.principal, r.params.id, r.query))),
  implement(api.listNotes, (r) => respond(200, getNotes(useCaseDeps(), r.principal, r.params.id, r.query))),
  implement(api.createNote, (r) => respond(201, createNote(useCaseDeps(), r.principal, r.params.id, r.body))),
  implement(api.listRejectionReasons, (r) =>
    respond(200, getRejectionReasons(useCaseDeps(), r.principal, r.query)),
  ),
  implement(api.createRejectionReason, (r) =>
    respond(201, createRejectionReason(useCaseDeps(), r.principal, r.body)),
  ),
];

export const handler = httpHandler(routes, deps);
