import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type ApplicationStatus,
  buildJobStages,
  decideStageMove,
  decideStatusChange,
  type StageRef,
} from '../../../shared/domain/pipeline.js';

/**
 * Random sequences of moves by the portal, the ATS and external systems, applied only when the rules allow
 * them; the invariants of the ownership design must hold after every step.
 */
const stages: StageRef[] = buildJobStages(['Assessment', 'Interview 1', 'Interview 2']).map((s) => ({
  id: `s${s.position}`,
  name: s.name,
  position: s.position,
  kind: s.kind,
}));
const CE = stages.find((s) => s.kind === 'client_endorsement')!.position;

type Step =
  | { type: 'move'; actor: Actor; target: number }
  | { type: 'status'; actor: Actor; to: 'rejected' | 'withdrawn' };

const actor = fc.constantFrom<Actor>('portal', 'ats', 'admin', 'provider');
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('move' as const),
      actor,
      target: fc.nat({ max: stages.length - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('status' as const),
      actor,
      to: fc.constantFrom('rejected' as const, 'withdrawn' as const),
    }),
  },
);

describe('stage ownership invariants over random move sequences', () => {
  it('hold for every accepted move', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let current = { stage: stages[0]!, status: 'active' as ApplicationStatus };
        for (const s of steps) {
          if (s.type === 'status') {
            const d = decideStatusChange(s.actor, current, s.to);
            if (s.actor === 'portal') expect(d.ok).toBe(false);
            if (current.status !== 'active') expect(d.ok).toBe(false);
            if (d.ok) current = { ...current, status: d.value };
            continue;
          }
          const target = stages[s.target]!;
          const before = current;
          const d = decideStageMove(s.actor, current, target);
          if (!d.ok) continue;
          // closed applications never move
          expect(before.status).toBe('active');
          if (s.actor === 'portal') {
            // one step forward, never past Client Endorsement, never a status change
            expect(target.position).toBe(before.stage.position + 1);
            expect(target.position).toBeLessThanOrEqual(CE);
            expect(d.value.status).toBe('active');
          } else {
            // the ATS side acts from Client Endorsement on and never into Screening or Shortlist
            expect(before.stage.position).toBeGreaterThanOrEqual(CE);
            expect(target.position).toBeGreaterThanOrEqual(CE);
          }
          // Offer Accepted always means hired, and hired only through Offer Accepted
          expect(d.value.status === 'hired').toBe(target.kind === 'offer_accepted');
          current = { stage: d.value.to, status: d.value.status };
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('let the portal reach Client Endorsement only through Shortlist', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stages.length - 1 }), { maxLength: 20 }), (targets) => {
        let current = { stage: stages[0]!, status: 'active' as ApplicationStatus };
        const visited = [current.stage.kind];
        for (const t of targets) {
          const d = decideStageMove('portal', current, stages[t]!);
          if (d.ok) {
            current = { stage: d.value.to, status: d.value.status };
            visited.push(current.stage.kind);
          }
        }
        const ce = visited.indexOf('client_endorsement');
        if (ce >= 0) expect(visited.slice(0, ce)).toEqual(['screening', 'shortlist']);
      }),
      { numRuns: 1000 },
    );
  });
});
