/** Webhook bodies (envelope, 20 kB, scrubbing) and Slack/Teams messages (no personal data). */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slackMessage, summarize, teamsMessage } from '../../../shared/notifications/chat-format.js';
import {
  MAX_BODY_BYTES,
  REDACTED,
  redactText,
  renderEnvelope,
} from '../../../shared/notifications/payload.js';

const dir = new URL('../../../events/notifications/', import.meta.url);
const samples = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map(
    (f) =>
      JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as {
        type: string;
        timestamp: string;
        data: Record<string, unknown>;
      },
  );

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

describe('webhook envelope', () => {
  it('is {type, timestamp, data} with the payload as given', () => {
    const body = renderEnvelope('sync.completed', '2026-03-02T09:15:00.000Z', { a: 1, b: 'x' });
    expect(JSON.parse(body)).toEqual({
      type: 'sync.completed',
      timestamp: '2026-03-02T09:15:00.000Z',
      data: { a: 1, b: 'x' },
    });
  });

  it('scrubs e-mail addresses and international phone numbers from free text, not ids or dates', () => {
    const body = renderEnvelope('import.errors', 't', {
      syncRunId: '3e5f7a9b-1c3d-4e5f-9a7b-9c1d3e5f7a67',
      completedAt: '2026-03-02T09:02:41.000Z',
      samples: [
        {
          objectType: 'candidate',
          remoteId: '69306314',
          message: 'duplicate ada.lovelace+cv@example.co.uk, call +44 20 7946 0958',
        },
      ],
    });
    expect(body).not.toMatch(EMAIL);
    expect(body).not.toContain('7946');
    expect(body).toContain(REDACTED);
    expect(body).toContain('2026-03-02T09:02:41.000Z');
    expect(body).toContain('69306314');
  });

  it('stays under 20 kB: long lists and texts are shortened and marked truncated', () => {
    const samples = Array.from({ length: 20 }, (_, i) => ({
      objectType: 'application',
      remoteId: String(i),
      message: 'x'.repeat(5000),
    }));
    const body = renderEnvelope('import.errors', '2026-03-02T09:15:00.000Z', {
      syncRunId: '3e5f7a9b-1c3d-4e5f-9a7b-9c1d3e5f7a67',
      recordsFailed: 20,
      samples,
    });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    const parsed = JSON.parse(body);
    expect(parsed.data).toMatchObject({
      syncRunId: '3e5f7a9b-1c3d-4e5f-9a7b-9c1d3e5f7a67',
      recordsFailed: 20,
      truncated: true,
    });
  });

  it('falls back to a thin payload when nothing else fits', () => {
    const body = renderEnvelope('x.y', 't', {
      id: 'keep',
      huge: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])),
    });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(JSON.parse(body).data).toEqual({ id: 'keep', truncated: true });
  });
});

describe('Slack and Teams messages', () => {
  it('exist for every sample event and carry no e-mail address', () => {
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      const slack = JSON.stringify(slackMessage(sample));
      const teams = JSON.stringify(teamsMessage(sample));
      expect({ type: sample.type, slack: EMAIL.test(slack), teams: EMAIL.test(teams) }).toEqual({
        type: sample.type,
        slack: false,
        teams: false,
      });
      expect(summarize(sample.type, sample.data).title).not.toMatch(/^Event /);
    }
  });

  it('are Slack incoming-webhook JSON with a fallback text and blocks', () => {
    const handoff = samples.find((s) => s.type === 'application.handoff')!;
    const message = slackMessage(handoff, { jobTitle: 'Engineer' });
    expect(message.text).toMatch(/^Handoff to the ATS team: Application 0f3c2a71 reached Client Endorsement/);
    expect(message.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(JSON.stringify(message)).toContain('Job: Engineer');
  });

  it('are a Teams message with one Adaptive Card', () => {
    const failed = samples.find((s) => s.type === 'sync.failed')!;
    const message = teamsMessage(failed);
    expect(message.type).toBe('message');
    expect(message.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(message.attachments[0]!.content.type).toBe('AdaptiveCard');
    expect(message.attachments[0]!.content.body[0]!.text).toBe('Sync failed: lever (full)');
  });

  it('name the candidate only when the context carries a name', () => {
    const handoff = samples.find((s) => s.type === 'application.handoff')!;
    expect(JSON.stringify(slackMessage(handoff))).not.toContain('Ada');
    const named = JSON.stringify(slackMessage(handoff, { candidateName: 'Ada Lovelace' }));
    expect(named).toContain('Ada Lovelace');
  });

  it('neutralise Slack control sequences and Teams links in data', () => {
    const data = {
      integrationId: 'x',
      provider: 'lever',
      health: 'unhealthy',
      reason: '<!channel> [click](https://evil.example)',
      since: 't',
    };
    const slack = JSON.stringify(slackMessage({ type: 'integration.unhealthy', timestamp: 't', data }));
    expect(slack).not.toContain('<!channel>');
    expect(slack).toContain('&lt;!channel&gt;');
    const teams = JSON.stringify(teamsMessage({ type: 'integration.unhealthy', timestamp: 't', data }));
    expect(teams).not.toContain('[click]');
  });

  it('scrub e-mail addresses and phones that a provider’s error text may quote (property)', () => {
    const email = fc
      .tuple(fc.stringMatching(/^[a-z0-9._]{1,12}$/), fc.stringMatching(/^[a-z]{1,10}\.(com|org|io|co\.uk)$/))
      .map(([u, d]) => `${u}@${d}`);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        email,
        fc.string({ maxLength: 40 }),
        (before, address, after) => {
          const data = {
            syncRunId: 'r',
            integrationId: 'i',
            provider: 'greenhouse',
            recordsFailed: 1,
            samples: [{ objectType: 'candidate', remoteId: '1', message: `${before} ${address} ${after}` }],
          };
          for (const text of [
            JSON.stringify(slackMessage({ type: 'import.errors', timestamp: 't', data })),
            JSON.stringify(teamsMessage({ type: 'import.errors', timestamp: 't', data })),
            renderEnvelope('import.errors', 't', data),
          ]) {
            expect(text).not.toContain(address);
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(redactText('call +1 555 0100 now')).toBe(`call ${REDACTED} now`);
  });
});
