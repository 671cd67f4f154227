export {
  type OperationRecord,
  startWorkdayFake,
  type WorkdayFake,
  type WorkdayFakeOptions,
} from './server.js';
export {
  type ApplicationView,
  type CandidateView,
  DEFAULT_DISPOSITION_STEPS,
  DEFAULT_WORKFLOW,
  type RequisitionView,
  type WorkdayState,
  type WorkflowStep,
} from './state.js';
