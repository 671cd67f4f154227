/**
 * Application statuses: in BambooHR the status is the pipeline position (there are no separate stages), so a
 * status id is the canonical stage id, and the status code decides the canonical application status.
 */
import type { CanonicalStage } from '../../domain/canonical.js';
import type { ApplicationStatus } from '../../domain/pipeline.js';
import type { BambooStatus } from './schemas.js';

export interface StatusCodes {
  hiredStatusCodes: readonly string[];
  rejectedStatusCodes: readonly string[];
  withdrawnStatusCodes: readonly string[];
}

export class StatusCatalog {
  private readonly byId: Map<string, BambooStatus>;

  constructor(readonly statuses: readonly BambooStatus[]) {
    this.byId = new Map(statuses.map((status) => [status.id, status]));
  }

  get(id: string): BambooStatus | undefined {
    return this.byId.get(id);
  }

  nameOf(status: BambooStatus): string {
    return status.name ?? status.translatedName ?? status.code ?? status.id;
  }

  /** Enabled statuses in the order BambooHR lists them: the pipeline of every job. */
  stages(): CanonicalStage[] {
    return this.statuses
      .filter((status) => status.enabled !== false)
      .map((status, position) => ({ remoteId: status.id, name: this.nameOf(status), position }));
  }

  /** First enabled status whose code is in the list. */
  firstWithCode(codes: readonly string[]): BambooStatus | undefined {
    for (const code of codes) {
      const found = this.statuses.find((s) => s.enabled !== false && s.code?.toUpperCase() === code);
      if (found) return found;
    }
    return undefined;
  }
}

export function canonicalStatusOf(code: string | null | undefined, codes: StatusCodes): ApplicationStatus {
  const upper = code?.toUpperCase();
  if (!upper) return 'active';
  if (codes.hiredStatusCodes.includes(upper)) return 'hired';
  if (codes.withdrawnStatusCodes.includes(upper)) return 'withdrawn';
  if (codes.rejectedStatusCodes.includes(upper)) return 'rejected';
  return 'active';
}
