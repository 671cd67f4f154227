/**
 * How a sync world reaches each provider's fake: the provider module, the credentials the fake was started with,
 * its base URL(s) and its clock. `settings` adds to (or overrides) the connection's own settings.
 */
import { provider as ashby } from '../../../shared/providers/ashby/index.js';
import { provider as bamboohr } from '../../../shared/providers/bamboohr/index.js';
import { provider as greenhouse } from '../../../shared/providers/greenhouse/index.js';
import { provider as lever } from '../../../shared/providers/lever/index.js';
import { provider as workday } from '../../../shared/providers/workday/index.js';
import type { AshbyFake } from '../../fakes/ashby/index.js';
import type { BamboohrFake } from '../../fakes/bamboohr/index.js';
import type { GreenhouseFake } from '../../fakes/greenhouse/index.js';
import type { LeverFake } from '../../fakes/lever/index.js';
import type { WorkdayFake } from '../../fakes/workday/index.js';
import type { WorldOptions } from './harness.js';

export type Connection = Pick<WorldOptions, 'provider' | 'module' | 'credentials' | 'settings' | 'clock'>;
type Settings = Record<string, unknown>;

const TIMEOUT = { requestTimeoutMs: 10_000 };

export const ashbyConnection = (fake: AshbyFake, settings: Settings = {}): Connection => ({
  provider: 'ashby',
  module: ashby,
  credentials: { apiKey: fake.apiKey },
  settings: { baseUrl: fake.url, ...TIMEOUT, ...settings },
  clock: fake.clock,
});

export const bamboohrConnection = (fake: BamboohrFake, settings: Settings = {}): Connection => ({
  provider: 'bamboohr',
  module: bamboohr,
  credentials: { apiKey: fake.apiKey, companyDomain: fake.companyDomain },
  settings: { baseUrl: fake.url, ...TIMEOUT, ...settings },
  clock: fake.clock,
});

export const greenhouseConnection = (fake: GreenhouseFake, settings: Settings = {}): Connection => ({
  provider: 'greenhouse',
  module: greenhouse,
  credentials: fake.credentials,
  settings: { baseUrl: fake.url, authUrl: fake.authUrl, ...TIMEOUT, ...settings },
  clock: fake.clock,
});

export const leverConnection = (fake: LeverFake, settings: Settings = {}): Connection => ({
  provider: 'lever',
  module: lever,
  credentials: { apiKey: fake.apiKey },
  settings: { baseUrl: fake.url, authUrl: fake.authUrl, ...TIMEOUT, ...settings },
  clock: fake.clock,
});

/** Workday also needs the disposition step a rejection moves to and the workflow steps mapped to hub stages. */
export const workdayConnection = (fake: WorkdayFake, settings: Settings = {}): Connection => ({
  provider: 'workday',
  module: workday,
  credentials: { username: fake.username, password: fake.password, tenant: fake.tenant },
  settings: {
    baseUrl: fake.url,
    ...TIMEOUT,
    dispositionStepId: 'STEP-DISPOSITION',
    workflowSteps: fake.state.workflow.map((s) => ({ id: s.id, name: s.name, stageId: s.stageId })),
    ...settings,
  },
  clock: fake.clock,
});
