/**
 * What the hosted page asks for each provider (docs/connect.md): the labelled fields of its credentials form and
 * how they become the `credentials` and `settings` of `POST /integrations`. Lever has no form: it connects by
 * OAuth (./oauth-flow.ts).
 */
import * as z from 'zod';
import { providerUrl } from '../providers/common/provider-url.js';

export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'password' | 'url';
  hint?: string;
  autocomplete?: string;
}

export interface Connection {
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
}

export interface ProviderForm {
  provider: string;
  title: string;
  /** Where the customer finds the values, in one sentence. */
  help: string;
  kind: 'credentials' | 'oauth';
  fields: FormField[];
  /** The form's values, validated, as the integration's credentials and settings. */
  schema: z.ZodType<Connection>;
}

const text = z.string().trim().min(1, 'required').max(500);
const secret = z.string().min(1, 'required').max(2000);

export const providerForms: readonly ProviderForm[] = [
  {
    provider: 'greenhouse',
    title: 'Greenhouse',
    help: 'Create a Harvest v3 OAuth client in Greenhouse (Configure → Dev Center → API credentials) and paste its client id and secret.',
    kind: 'credentials',
    fields: [
      { name: 'clientId', label: 'Harvest client ID', type: 'text', autocomplete: 'off' },
      { name: 'clientSecret', label: 'Harvest client secret', type: 'password', autocomplete: 'off' },
    ],
    schema: z.object({ clientId: text, clientSecret: secret }).transform((v) => ({
      credentials: { clientId: v.clientId, clientSecret: v.clientSecret },
      settings: {},
    })),
  },
  {
    provider: 'lever',
    title: 'Lever',
    help: 'You will sign in to Lever and approve access for the hub; nothing to copy.',
    kind: 'oauth',
    fields: [],
    schema: z.object({}).transform(() => ({ credentials: {}, settings: {} })),
  },
  {
    provider: 'ashby',
    title: 'Ashby',
    help: 'Create an API key in Ashby (Admin → Integrations → API keys) with read access to jobs and candidates.',
    kind: 'credentials',
    fields: [{ name: 'apiKey', label: 'Ashby API key', type: 'password', autocomplete: 'off' }],
    schema: z
      .object({ apiKey: secret })
      .transform((v) => ({ credentials: { apiKey: v.apiKey }, settings: {} })),
  },
  {
    provider: 'bamboohr',
    title: 'BambooHR',
    help: 'Create an API key in BambooHR (your name → API Keys); the company domain is the first part of your BambooHR address.',
    kind: 'credentials',
    fields: [
      { name: 'apiKey', label: 'BambooHR API key', type: 'password', autocomplete: 'off' },
      {
        name: 'companyDomain',
        label: 'Company domain',
        type: 'text',
        hint: 'acme for https://acme.bamboohr.com',
        autocomplete: 'off',
      },
    ],
    schema: z
      .object({
        apiKey: secret,
        companyDomain: text.regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'letters, digits and dashes only'),
      })
      .transform((v) => ({
        credentials: { apiKey: v.apiKey, companyDomain: v.companyDomain },
        settings: {},
      })),
  },
  {
    provider: 'workday',
    title: 'Workday',
    help: 'Use an Integration System User (ISU) allowed to read recruiting data, and your tenant’s Recruiting web service endpoint.',
    kind: 'credentials',
    fields: [
      { name: 'tenant', label: 'Tenant', type: 'text', hint: 'e.g. acme_prod', autocomplete: 'off' },
      {
        name: 'endpoint',
        label: 'Web service endpoint',
        type: 'url',
        hint: 'https://wd5-services1.myworkday.com/ccx/service/acme_prod/Recruiting/v44.1',
        autocomplete: 'url',
      },
      { name: 'username', label: 'ISU user name', type: 'text', autocomplete: 'username' },
      { name: 'password', label: 'ISU password', type: 'password', autocomplete: 'current-password' },
    ],
    schema: z
      .object({ tenant: text, endpoint: providerUrl, username: text, password: secret })
      .transform((v) => ({
        credentials: { username: v.username, password: v.password, tenant: v.tenant },
        settings: { baseUrl: v.endpoint, tenant: v.tenant },
      })),
  },
];

export function providerForm(provider: string): ProviderForm | undefined {
  return providerForms.find((f) => f.provider === provider);
}

/** Field name → first message, for the form shown again with its errors. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? '');
    out[name] ??= issue.message;
  }
  return out;
}
