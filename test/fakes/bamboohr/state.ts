/**
 * The BambooHR fake's data: application statuses, job openings, applications (each embedding its applicant),
 * and employees with a change log for `GET /employees/changed`. Deterministic from a seed; 10,000 applications
 * are cheap (plain arrays, generated once). Independent of shared/providers.
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import { createSeededRng, syntheticPerson } from '../common/seeded-rng.js';

export type StatusGroup = 'new' | 'active' | 'inactive' | 'hired';

export interface FakeStatus {
  id: number;
  code: string;
  name: string;
  group: StatusGroup;
  enabled: boolean;
}

/** BambooHR's stock applicant statuses (codes as seen in public clients; unverified). */
export const DEFAULT_STATUSES: FakeStatus[] = [
  { id: 1, code: 'NEW', name: 'New', group: 'new', enabled: true },
  { id: 2, code: 'REVIEWED', name: 'Reviewed', group: 'active', enabled: true },
  { id: 3, code: 'SCHEDULE_PHONE_SCREEN', name: 'Schedule Phone Screen', group: 'active', enabled: true },
  { id: 4, code: 'PHONE_SCREENED', name: 'Phone Screened', group: 'active', enabled: true },
  { id: 5, code: 'SCHEDULE_INTERVIEW', name: 'Schedule Interview', group: 'active', enabled: true },
  { id: 6, code: 'INTERVIEWED', name: 'Interviewed', group: 'active', enabled: true },
  { id: 7, code: 'PUT_ON_HOLD', name: 'Put on Hold', group: 'active', enabled: true },
  { id: 8, code: 'CHECKING_REFERENCES', name: 'Checking References', group: 'active', enabled: true },
  { id: 9, code: 'OFFER_SENT', name: 'Offer Sent', group: 'active', enabled: true },
  { id: 10, code: 'NOT_A_FIT', name: 'Not a Fit', group: 'inactive', enabled: true },
  { id: 11, code: 'DECLINED_OFFER', name: 'Declined Offer', group: 'inactive', enabled: true },
  { id: 12, code: 'NOT_QUALIFIED', name: 'Not Qualified', group: 'inactive', enabled: true },
  { id: 13, code: 'OVER_QUALIFIED', name: 'Over Qualified', group: 'inactive', enabled: true },
  { id: 14, code: 'HIRED_ELSEWHERE', name: 'Hired Elsewhere', group: 'inactive', enabled: true },
  { id: 15, code: 'HIRED', name: 'Hired', group: 'hired', enabled: true },
];

export type JobStatus = 'Open' | 'Draft' | 'On Hold' | 'Filled' | 'Canceled' | 'Deleted';

export interface FakeJob {
  id: number;
  title: string;
  status: JobStatus;
  department: string;
  location: string;
  postedMs: number;
}

export interface FakeApplicant {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string;
}

export interface FakeApplication {
  id: number;
  applicant: FakeApplicant;
  jobId: number;
  statusId: number;
  appliedMs: number;
  statusChangedMs: number;
  deleted: boolean;
}

export interface FakeEmployee {
  id: number;
  action: 'Inserted' | 'Updated' | 'Deleted';
  lastChangedMs: number;
}

export interface BamboohrDataOptions {
  seed: number;
  applications: number;
  jobs: number;
  employees: number;
  statuses: FakeStatus[];
}

const DAY_MS = 86_400_000;

export function createBamboohrState(options: BamboohrDataOptions, clock: ControllableClock) {
  const rng = createSeededRng(options.seed);
  const statuses = options.statuses;
  const jobs: FakeJob[] = [];
  const applications: FakeApplication[] = [];
  const applicationsById = new Map<number, FakeApplication>();
  const employees: FakeEmployee[] = [];
  const start = clock.nowMs();

  const titles = [
    'Software Engineer',
    'Account Executive',
    'Recruiter',
    'Support Specialist',
    'Designer',
    'Analyst',
  ];
  const departments = ['Engineering', 'Sales', 'People', 'Support'];
  for (let i = 0; i < options.jobs; i += 1) {
    const status: JobStatus =
      i === 0 ? 'Open' : rng.next() < 0.75 ? 'Open' : rng.pick(['Draft', 'On Hold', 'Filled'] as const);
    jobs.push({
      id: 100 + i,
      title: `${rng.pick(titles)} ${i + 1}`,
      status,
      department: rng.pick(departments),
      location: ['Remote', 'Lindon, Utah', 'Boise, Idaho'][i % 3]!,
      postedMs: start - 90 * DAY_MS + i * DAY_MS,
    });
  }

  const usable = statuses.filter((s) => s.enabled);
  let applicantCounter = 0;
  let previousApplicant: FakeApplicant | null = null;
  const spreadMs = 60 * DAY_MS;
  function addApplication(
    applicant: FakeApplicant,
    jobId: number,
    statusId: number,
    appliedMs: number,
  ): FakeApplication {
    const application: FakeApplication = {
      id: 1000 + applications.length,
      applicant,
      jobId,
      statusId,
      appliedMs,
      statusChangedMs: appliedMs,
      deleted: false,
    };
    applications.push(application);
    applicationsById.set(application.id, application);
    return application;
  }
  function newApplicant(): FakeApplicant {
    applicantCounter += 1;
    const person = syntheticPerson(rng, applicantCounter);
    return {
      id: 5000 + applicantCounter,
      firstName: person.first,
      lastName: person.last,
      email: person.email,
      phoneNumber: person.phone,
    };
  }

  for (let i = 0; i < options.applications; i += 1) {
    // About one applicant in ten applies to a second job.
    const applicant: FakeApplicant =
      previousApplicant && rng.next() < 0.1 ? previousApplicant : newApplicant();
    previousApplicant = applicant;
    const job = jobs.length > 0 ? rng.pick(jobs) : null;
    const status = rng.next() < 0.6 ? usable[0] : rng.pick(usable);
    const appliedMs = start - spreadMs + Math.floor((i * spreadMs) / Math.max(1, options.applications));
    addApplication(applicant, job?.id ?? 0, status?.id ?? 1, appliedMs);
  }

  for (let i = 0; i < options.employees; i += 1) {
    employees.push({ id: 40 + i, action: 'Inserted', lastChangedMs: start - 100 * DAY_MS + i * 1000 });
  }

  function requireApplication(id: number): FakeApplication {
    const application = applicationsById.get(id);
    if (!application || application.deleted) throw new Error(`no application ${id}`);
    return application;
  }

  return {
    statuses: statuses as readonly FakeStatus[],
    jobs,
    applications: applications as readonly FakeApplication[],
    employees: employees as readonly FakeEmployee[],
    application(id: number): FakeApplication | undefined {
      const application = applicationsById.get(id);
      return application && !application.deleted ? application : undefined;
    },
    liveApplications(): FakeApplication[] {
      return applications.filter((a) => !a.deleted);
    },
    status(id: number): FakeStatus | undefined {
      return statuses.find((s) => s.id === id);
    },

    // ── mutations made "inside BambooHR" ───────────────────────────────────────

    addApplication(
      input: {
        jobId?: number;
        statusId?: number;
        applicantId?: number;
        person?: Omit<FakeApplicant, 'id'>;
      } = {},
    ): FakeApplication {
      const existing = input.applicantId
        ? applications.find((a) => a.applicant.id === input.applicantId)?.applicant
        : undefined;
      const jobId = input.jobId ?? jobs[0]?.id ?? 0;
      // A person given (a submission through the API) keeps its own details under a fresh applicant id.
      const fresh = () => (input.person ? { ...input.person, id: newApplicant().id } : newApplicant());
      return addApplication(existing ?? fresh(), jobId, input.statusId ?? usable[0]?.id ?? 1, clock.nowMs());
    },
    setStatus(applicationId: number, statusId: number) {
      const application = requireApplication(applicationId);
      application.statusId = statusId;
      application.statusChangedMs = clock.nowMs();
    },
    deleteApplication(applicationId: number) {
      requireApplication(applicationId).deleted = true;
    },
    setJobStatus(jobId: number, status: JobStatus) {
      const job = jobs.find((j) => j.id === jobId);
      if (!job) throw new Error(`no job ${jobId}`);
      job.status = status;
    },
    changeEmployee(employeeId: number, action: FakeEmployee['action']) {
      let employee = employees.find((e) => e.id === employeeId);
      if (!employee) {
        employee = { id: employeeId, action, lastChangedMs: clock.nowMs() };
        employees.push(employee);
      }
      employee.action = action;
      employee.lastChangedMs = clock.nowMs();
    },
  };
}

export type BamboohrState = ReturnType<typeof createBamboohrState>;
