import { redactPersonalData, redactText } from './payload.js';

/**
 * Short, human-readable Slack and Microsoft Teams messages for the catalogue's events. They carry no
 * personal data: events hold ids and aggregates only, free text is scrubbed of e-mail addresses and phone
 * numbers, and a candidate's name appears only when the subscription asked for it (`includeCandidateNames`)
 * and the notifier looked it up: first and last name, never contact details.
 */
export interface ChatContext {
  /** Job title of an application event (not personal data). */
  jobTitle?: string | null;
  /** "First Last", only for subscriptions with includeCandidateNames. */
  candidateName?: string | null;
}

/** The parts of an event envelope a chat message shows. */
export interface ChatEvent {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface ChatSummary {
  title: string;
  lines: string[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const short = (id: unknown): string => str(id).slice(0, 8);

function who(data: Record<string, unknown>, ctx: ChatContext): string {
  return ctx.candidateName
    ? `${ctx.candidateName} (application ${short(data.applicationId)})`
    : `Application ${short(data.applicationId)}`;
}

function jobPart(data: Record<string, unknown>, ctx: ChatContext): string {
  return ctx.jobTitle ? `Job: ${ctx.jobTitle}` : `Job ${short(data.jobId)}`;
}

function runLines(data: Record<string, unknown>): string[] {
  return [
    `Processed ${num(data.recordsProcessed)}: ${num(data.recordsCreated)} created, ${num(data.recordsUpdated)} updated, ` +
      `${num(data.recordsDeleted)} deleted, ${num(data.recordsFailed)} failed`,
    `Run ${short(data.syncRunId)}, integration ${short(data.integrationId)}`,
  ];
}

/** Title and lines of one event; unknown types get a generic summary rather than nothing. */
export function summarize(
  eventType: string,
  rawData: Record<string, unknown>,
  ctx: ChatContext = {},
): ChatSummary {
  const data = redactPersonalData(rawData);
  switch (eventType) {
    case 'application.created':
      return {
        title: 'New application',
        lines: [
          `${who(data, ctx)} entered ${str(data.stage)} (source: ${str(data.source)})`,
          jobPart(data, ctx),
        ],
      };
    case 'application.stage_changed':
      return {
        title: 'Stage changed',
        lines: [
          `${who(data, ctx)} moved from ${str(data.fromStage) || '(new)'} to ${str(data.toStage)} by ${str(data.actorRole)}`,
          jobPart(data, ctx),
        ],
      };
    case 'application.handoff':
      return {
        title: 'Handoff to the ATS team',
        lines: [
          `${who(data, ctx)} reached ${str(data.toStage)}: the recruiting team takes over`,
          jobPart(data, ctx),
        ],
      };
    case 'application.status_changed':
      return {
        title: `Application ${str(data.status)}`,
        lines: [
          `${who(data, ctx)} is now ${str(data.status)} (was ${str(data.fromStatus)}) at ${str(data.stage)}`,
          jobPart(data, ctx),
        ],
      };
    case 'application.pushed':
      return {
        title: `Submission written to ${str(data.provider)}`,
        lines: [
          `${who(data, ctx)} now exists there: candidate ${str(data.candidateRemoteId)}, application ${str(data.applicationRemoteId)}${data.attachmentRemoteId ? ', resume attached' : ''}`,
          jobPart(data, ctx),
        ],
      };
    case 'application.push_failed':
      return {
        title: `Submission not written to ${str(data.provider)}`,
        lines: [
          `${who(data, ctx)}: ${str(data.code)} after ${num(data.attempts)} attempt(s): ${str(data.message)}`,
          jobPart(data, ctx),
        ],
      };
    case 'interview.scheduled':
      return {
        title: 'Interview scheduled',
        lines: [
          `${who(data, ctx)}: ${str(data.startAt)} to ${str(data.endAt)} (source: ${str(data.source)})`,
        ],
      };
    case 'scorecard.submitted':
      return {
        title: 'Scorecard submitted',
        lines: [`${who(data, ctx)}: ${str(data.recommendation)} (source: ${str(data.source)})`],
      };
    case 'offer.created':
      return {
        title: 'Offer created',
        lines: [
          `${who(data, ctx)}: offer ${short(data.offerId)} is ${str(data.status)} (source: ${str(data.source)})`,
        ],
      };
    case 'offer.accepted':
      return {
        title: 'Offer accepted',
        lines: [`${who(data, ctx)} accepted offer ${short(data.offerId)} (source: ${str(data.source)})`],
      };
    case 'job.updated':
      return {
        title: `Job ${str(data.status)}`,
        lines: [
          `${jobPart(data, ctx)}: changed ${(Array.isArray(data.changed) ? data.changed : []).join(', ')}`,
        ],
      };
    case 'message.created':
      // the text stays in the hub: a party reads it with GET /applications/{id}/messages
      return {
        title: 'New message on an application',
        lines: [
          `${who(data, ctx)}: message ${short(data.messageId)} from organization ${short(data.fromOrganizationId)}`,
          jobPart(data, ctx),
        ],
      };
    case 'sync.requested':
      return {
        title: 'Sync requested',
        lines: [`${str(data.mode)} sync of integration ${short(data.integrationId)}`],
      };
    case 'sync.completed':
      return {
        title: `Sync ${str(data.status) === 'partial' ? 'completed with errors' : 'completed'}: ${str(data.provider)} (${str(data.mode)})`,
        lines: runLines(data),
      };
    case 'sync.failed':
      return {
        title: `Sync failed: ${str(data.provider)} (${str(data.mode)})`,
        lines: [`Error: ${str(data.error)}`, ...runLines(data)],
      };
    case 'import.errors': {
      const samples = Array.isArray(data.samples) ? (data.samples as Record<string, unknown>[]) : [];
      return {
        title: `Import errors: ${str(data.provider)}`,
        lines: [
          `${num(data.recordsFailed)} record(s) failed in run ${short(data.syncRunId)}`,
          ...samples
            .slice(0, 5)
            .map((s) => `• ${str(s.objectType)} ${str(s.remoteId) || '(no id)'}: ${str(s.message)}`),
          ...(samples.length > 5 ? [`… and ${samples.length - 5} more`] : []),
        ],
      };
    }
    case 'integration.unhealthy':
      return {
        title: `Integration ${str(data.health)}: ${str(data.provider)}`,
        lines: [
          `Reason: ${str(data.reason)}`,
          `Since ${str(data.since)}, integration ${short(data.integrationId)}`,
        ],
      };
    case 'analytics.exported': {
      const pushes = Array.isArray(data.pushes) ? (data.pushes as Record<string, unknown>[]) : [];
      const failed = pushes.filter((p) => p.ok === false).length;
      return {
        title: 'Analytics export written',
        lines: [
          `Period ${str(data.periodFrom)} to ${str(data.periodTo)}: ${Array.isArray(data.objects) ? data.objects.length : 0} file(s)`,
          ...(pushes.length > 0
            ? [`Pushed to ${pushes.length - failed} of ${pushes.length} provider(s)`]
            : []),
        ],
      };
    }
    case 'analytics.export_failed':
      return {
        title: 'Analytics export failed',
        lines: [`Period ${str(data.periodFrom)} to ${str(data.periodTo)}`, `Error: ${str(data.error)}`],
      };
    default:
      return { title: `Event ${eventType}`, lines: [] };
  }
}

/** Slack mrkdwn: only &, < and > are control characters (`<!channel>`, links); they are escaped. */
const slackEscape = (text: string) =>
  redactText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack incoming webhook: `text` is the notification fallback, `blocks` the message. */
export function slackMessage(event: ChatEvent, ctx: ChatContext = {}) {
  const { title, lines } = summarize(event.type, event.data, ctx);
  return {
    text: slackEscape(`${title}: ${lines[0] ?? ''}`.trim()),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: slackEscape([`*${title}*`, ...lines].join('\n')).slice(0, 2900) },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: slackEscape(`${event.type} · ${event.timestamp}`) }],
      },
    ],
  };
}

/** Adaptive Card markdown would turn `[x](y)` into a link and `<…>` into markup; such characters are dropped. */
const teamsText = (text: string) => redactText(text).replace(/[[\]<>]/g, '');

/**
 * Teams incoming webhook (Workflows "post to a channel when a webhook request is received", which
 * replaced the retired Office 365 connectors): a message with one Adaptive Card attachment.
 */
export function teamsMessage(event: ChatEvent, ctx: ChatContext = {}) {
  const { title, lines } = summarize(event.type, event.data, ctx);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: teamsText(title), weight: 'Bolder', size: 'Medium', wrap: true },
            ...lines.map((line) => ({ type: 'TextBlock', text: teamsText(line), wrap: true })),
            {
              type: 'TextBlock',
              text: teamsText(`${event.type} · ${event.timestamp}`),
              isSubtle: true,
              size: 'Small',
              wrap: true,
            },
          ],
        },
      },
    ],
  };
}
