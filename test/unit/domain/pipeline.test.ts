import { describe, expect, it } from 'vitest';
import {
  buildJobStages,
  customStageProblems,
  decideStageMove,
  decideStatusChange,
  findStage,
  isNewerSourceEvent,
  type StageRef,
} from '../../../shared/domain/pipeline.js';

const stages: StageRef[] = buildJobStages(['Assessment', 'Interview']).map((s) => ({
  id: `id-${s.position}`,
  name: s.name,
  position: s.position,
  kind: s.kind,
}));
const byName = (name: string) => stages.find((s) => s.name === name)!;
const at = (name: string, status: 'active' | 'rejected' | 'withdrawn' | 'hired' = 'active') => ({
  stage: byName(name),
  status,
});

describe('buildJobStages', () => {
  it('orders fixed portal stages, custom stages, then Offer and Offer Accepted', () => {
    const names = buildJobStages(['Assessment']).map((s) => s.name);
    expect(names).toEqual([
      'Screening',
      'Shortlist',
      'Client Endorsement',
      'Assessment',
      'Offer',
      'Offer Accepted',
    ]);
  });

  it('marks portal stages portal-owned and the rest ats-owned', () => {
    const owners = buildJobStages(['Assessment']).map((s) => s.owner);
    expect(owners).toEqual(['portal', 'portal', 'portal', 'ats', 'ats', 'ats']);
  });

  it('marks only custom stages as not fixed', () => {
    expect(
      buildJobStages(['Assessment'])
        .filter((s) => !s.fixed)
        .map((s) => s.name),
    ).toEqual(['Assessment']);
  });
});

describe('customStageProblems', () => {
  it('refuses a custom stage named like a fixed stage', () => {
    expect(customStageProblems(['offer'])).toHaveLength(1);
  });

  it('refuses duplicate custom stage names regardless of case', () => {
    expect(customStageProblems(['Interview', 'interview '])).toHaveLength(1);
  });

  it('accepts distinct names', () => {
    expect(customStageProblems(['Assessment', 'Interview'])).toEqual([]);
  });
});

type Role = Parameters<typeof decideStageMove>[0];
type Move = { role: Role; from: Parameters<typeof at>; to: string };

const allowed: Record<string, Move> = {
  'advances Screening to Shortlist': { role: 'portal', from: ['Screening'], to: 'Shortlist' },
  'advances Shortlist to Client Endorsement': {
    role: 'portal',
    from: ['Shortlist'],
    to: 'Client Endorsement',
  },
  'moves forward from Client Endorsement skipping stages': {
    role: 'ats',
    from: ['Client Endorsement'],
    to: 'Offer',
  },
  'moves backward among ATS stages': { role: 'ats', from: ['Offer'], to: 'Client Endorsement' },
};

const invalid = 'INVALID_TRANSITION';
const notOwned = 'STAGE_NOT_OWNED';
// the refused moves of each side, with the code they are refused with
const refused: Record<string, Move & { code: string }> = {
  'refuses a skip from Screening to Client Endorsement as an invalid transition': {
    role: 'portal',
    from: ['Screening'],
    to: 'Client Endorsement',
    code: invalid,
  },
  'refuses a backward move as an invalid transition': {
    role: 'portal',
    from: ['Shortlist'],
    to: 'Screening',
    code: invalid,
  },
  'refuses a move into an ATS stage as not owned': {
    role: 'portal',
    from: ['Client Endorsement'],
    to: 'Assessment',
    code: notOwned,
  },
  'refuses any move of an application past Client Endorsement as not owned': {
    role: 'portal',
    from: ['Interview'],
    to: 'Offer',
    code: notOwned,
  },
  'refuses moving a closed application': {
    role: 'portal',
    from: ['Screening', 'rejected'],
    to: 'Shortlist',
    code: invalid,
  },
  'refuses a move to the current stage': {
    role: 'portal',
    from: ['Screening'],
    to: 'Screening',
    code: invalid,
  },
  'never moves into Shortlist': { role: 'ats', from: ['Interview'], to: 'Shortlist', code: notOwned },
  'does not act while the application is in a portal stage': {
    role: 'ats',
    from: ['Shortlist'],
    to: 'Client Endorsement',
    code: notOwned,
  },
};

describe.each(['portal', 'ats'] as const)('decideStageMove for %s', (side) => {
  const mine = <T extends Move>(table: Record<string, T>) =>
    Object.entries(table).filter(([, m]) => m.role === side);

  it.each(mine(allowed))('%s', (_title, { role, from, to }) => {
    expect(decideStageMove(role, at(...from), byName(to)).ok).toBe(true);
  });

  it.each(mine(refused))('%s', (_title, { role, from, to, code }) => {
    expect(decideStageMove(role, at(...from), byName(to))).toMatchObject({ ok: false, code });
  });
});

describe('decideStageMove for the ATS side', () => {
  it('makes Offer Accepted hired', () => {
    expect(decideStageMove('admin', at('Offer'), byName('Offer Accepted'))).toMatchObject({
      ok: true,
      value: { status: 'hired' },
    });
  });

  it('applies provider moves by the same rules', () => {
    expect(decideStageMove('provider', at('Interview'), byName('Screening')).ok).toBe(false);
  });
});

describe('decideStatusChange', () => {
  it('lets the ATS reject an active application at a portal stage', () => {
    expect(decideStatusChange('ats', { status: 'active' }, 'rejected')).toEqual({
      ok: true,
      value: 'rejected',
    });
  });

  it('never lets the portal change a status', () => {
    expect(decideStatusChange('portal', { status: 'active' }, 'withdrawn').ok).toBe(false);
  });

  it('refuses changing a closed application', () => {
    expect(decideStatusChange('ats', { status: 'hired' }, 'withdrawn')).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
  });
});

describe('isNewerSourceEvent', () => {
  it('accepts the first event', () => {
    expect(isNewerSourceEvent(new Date(1000), null)).toBe(true);
  });

  it('refuses an event as old as the applied one', () => {
    expect(isNewerSourceEvent(new Date(1000), new Date(1000))).toBe(false);
  });
});

describe('findStage', () => {
  it('finds a stage by name case-insensitively', () => {
    expect(findStage(stages, 'client endorsement')?.name).toBe('Client Endorsement');
  });

  it('finds a stage by id', () => {
    expect(findStage(stages, 'id-3')?.name).toBe('Assessment');
  });
});
