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

describe('decideStageMove for the portal', () => {
  it('advances Screening to Shortlist', () => {
    expect(decideStageMove('portal', at('Screening'), byName('Shortlist')).ok).toBe(true);
  });

  it('advances Shortlist to Client Endorsement', () => {
    expect(decideStageMove('portal', at('Shortlist'), byName('Client Endorsement')).ok).toBe(true);
  });

  it('refuses a skip from Screening to Client Endorsement as an invalid transition', () => {
    expect(decideStageMove('portal', at('Screening'), byName('Client Endorsement'))).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
  });

  it('refuses a backward move as an invalid transition', () => {
    expect(decideStageMove('portal', at('Shortlist'), byName('Screening'))).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
  });

  it('refuses a move into an ATS stage as not owned', () => {
    expect(decideStageMove('portal', at('Client Endorsement'), byName('Assessment'))).toMatchObject({
      ok: false,
      code: 'STAGE_NOT_OWNED',
    });
  });

  it('refuses any move of an application past Client Endorsement as not owned', () => {
    expect(decideStageMove('portal', at('Interview'), byName('Offer'))).toMatchObject({
      ok: false,
      code: 'STAGE_NOT_OWNED',
    });
  });

  it('refuses moving a closed application', () => {
    expect(decideStageMove('portal', at('Screening', 'rejected'), byName('Shortlist'))).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
  });

  it('refuses a move to the current stage', () => {
    expect(decideStageMove('portal', at('Screening'), byName('Screening'))).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
  });
});

describe('decideStageMove for the ATS side', () => {
  it('moves forward from Client Endorsement skipping stages', () => {
    expect(decideStageMove('ats', at('Client Endorsement'), byName('Offer')).ok).toBe(true);
  });

  it('moves backward among ATS stages', () => {
    expect(decideStageMove('ats', at('Offer'), byName('Client Endorsement')).ok).toBe(true);
  });

  it('never moves into Shortlist', () => {
    expect(decideStageMove('ats', at('Interview'), byName('Shortlist'))).toMatchObject({
      ok: false,
      code: 'STAGE_NOT_OWNED',
    });
  });

  it('does not act while the application is in a portal stage', () => {
    expect(decideStageMove('ats', at('Shortlist'), byName('Client Endorsement'))).toMatchObject({
      ok: false,
      code: 'STAGE_NOT_OWNED',
    });
  });

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
