import { createHmac, timingSafeEqual } from 'node:crypto';
import { accessDenied, invalidArgument, invalidPolicy, S3Error } from './errors.js';

/**
 * S3 POST Object authorisation with a SigV4-signed POST policy, as S3 enforces it:
 * - the signature is the hex HMAC-SHA256 of the base64 policy text as received, under the SigV4 key
 *   derived from secret / credential date / region / 's3' / 'aws4_request', checked before decoding;
 * - the policy needs `expiration` (ISO 8601 UTC) and `conditions`; an expired policy is refused;
 * - every condition must hold: exact (`{"name": "v"}` or `["eq", "$name", "v"]`), `starts-with`
 *   (Content-Type values with commas are lists, each item must match), `content-length-range`
 *   (checked once the size is known); condition and field names are case-insensitive, values are not;
 * - every form field but `x-amz-signature`, `policy`, `file` and `x-ignore-*` must be named by a
 *   condition ("Extra input fields").
 * Answers follow S3's observed ones: 403 AccessDenied "Invalid according to Policy: ...",
 * 403 SignatureDoesNotMatch / InvalidAccessKeyId, 400 InvalidPolicyDocument / InvalidArgument,
 * 400 EntityTooLarge / EntityTooSmall.
 */

export interface FormField {
  name: string;
  value: string;
}

/** Form fields before the file part; names are matched case-insensitively, repeated names comma-joined. */
export class FormFields {
  private readonly byName = new Map<string, { name: string; value: string }>();

  constructor(readonly list: FormField[]) {
    for (const f of list) {
      const lower = f.name.toLowerCase();
      const existing = this.byName.get(lower);
      this.byName.set(
        lower,
        existing ? { name: existing.name, value: `${existing.value},${f.value}` } : { ...f },
      );
    }
  }

  get(name: string): string | undefined {
    return this.byName.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** Distinct fields with the name as first sent. */
  entries(): { name: string; value: string }[] {
    return [...this.byName.values()];
  }
}

export type CredentialLookup = (accessKeyId: string) => string | undefined;

type Condition =
  | { kind: 'match'; op: 'eq' | 'starts-with'; field: string; value: string; display: string }
  | { kind: 'range'; min: number | undefined; max: number | undefined; display: string };

export interface CheckedPolicy {
  expiration: Date;
  /** Size bounds from content-length-range conditions (inclusive). */
  minSize: number;
  maxSize: number;
}

export function signingKey(secret: string, date: string, region: string, service = 's3'): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

export function policySignature(policyBase64: string, secret: string, date: string, region: string): string {
  return createHmac('sha256', signingKey(secret, date, region))
    .update(policyBase64, 'utf8')
    .digest('hex');
}

const SIGV4_FIELDS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature'] as const;
const AMZ_DATE = /^\d{8}T\d{6}Z$/;
const EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Checks the SigV4 fields and the signature over the policy text; returns the policy text. */
export function verifySignature(
  fields: FormFields,
  input: { credentials: CredentialLookup; region: string },
): string {
  const policy = fields.get('policy');
  const present = SIGV4_FIELDS.filter((f) => fields.has(f));
  if (policy === undefined || present.length === 0) {
    if (fields.has('AWSAccessKeyId') || fields.has('signature')) {
      throw new S3Error(
        400,
        'InvalidRequest',
        'The local object store accepts only AWS4-HMAC-SHA256 POST policies.',
      );
    }
    // No policy and no signature: an anonymous request, which a private bucket refuses.
    throw accessDenied();
  }
  for (const name of SIGV4_FIELDS) {
    if (!fields.has(name)) {
      throw invalidArgument(
        `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
        name,
      );
    }
  }
  const algorithm = fields.get('x-amz-algorithm')!;
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw invalidArgument('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', 'X-Amz-Algorithm', algorithm);
  }
  const credential = fields.get('x-amz-credential')!;
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminal] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service || !terminal) {
    throw invalidArgument(
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      'X-Amz-Credential',
      credential,
    );
  }
  if (!/^\d{8}$/.test(date)) {
    throw invalidArgument(
      `Error parsing the X-Amz-Credential parameter; incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`,
      'X-Amz-Credential',
      credential,
    );
  }
  if (region !== input.region) {
    throw new S3Error(
      400,
      'InvalidArgument',
      `the region '${region}' is wrong; expecting '${input.region}'`,
      {
        ArgumentName: 'X-Amz-Credential',
        ArgumentValue: credential,
        Region: input.region,
      },
    );
  }
  if (service !== 's3' || terminal !== 'aws4_request') {
    throw invalidArgument(
      `Error parsing the X-Amz-Credential parameter; incorrect service or terminal "${service}/${terminal}". This endpoint uses "s3/aws4_request".`,
      'X-Amz-Credential',
      credential,
    );
  }
  const amzDate = fields.get('x-amz-date')!;
  if (!AMZ_DATE.test(amzDate)) {
    throw invalidArgument('X-Amz-Date must be formated via ISO8601 Long format', 'X-Amz-Date', amzDate);
  }
  const secret = input.credentials(accessKeyId);
  if (secret === undefined) {
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: accessKeyId,
      },
    );
  }
  const provided = fields.get('x-amz-signature')!;
  const expected = policySignature(policy, secret, date, region);
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: accessKeyId,
        StringToSign: policy,
        SignatureProvided: provided,
        StringToSignBytes: Buffer.from(policy, 'utf8')
          .toString('hex')
          .replace(/(..)(?!$)/g, '$1 '),
      },
    );
  }
  return policy;
}

function parseBound(value: unknown): number | undefined | 'invalid-json' {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'invalid-json';
    return value;
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

const show = (items: unknown[]) => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;

function parseConditions(raw: unknown[]): Condition[] {
  const conditions: Condition[] = [];
  for (const c of raw) {
    if (Array.isArray(c)) {
      if (c.length === 0) throw invalidPolicy('Invalid Condition: missing operation identifier.');
      const [rawOp, a, b] = c as unknown[];
      if (typeof rawOp !== 'string') throw invalidPolicy('Invalid JSON.');
      const op = rawOp.toLowerCase();
      if (op === 'eq' || op === 'starts-with') {
        if (c.length !== 3) throw invalidPolicy(`Invalid ${rawOp}: wrong number of arguments.`);
        if (typeof a !== 'string' || typeof b !== 'string') throw invalidPolicy('Invalid JSON.');
        conditions.push({ kind: 'match', op, field: a, value: b, display: show(c) });
      } else if (op === 'content-length-range') {
        if (c.length !== 3) throw invalidPolicy(`Invalid ${rawOp}: wrong number of arguments.`);
        const min = parseBound(a);
        const max = parseBound(b);
        if (min === 'invalid-json' || max === 'invalid-json') throw invalidPolicy('Invalid JSON.');
        if ((min ?? 0) < 0 || (max ?? 0) < 0) {
          throw invalidPolicy('Invalid content-length-range: the bounds must not be negative.');
        }
        conditions.push({ kind: 'range', min, max, display: show(c) });
      } else {
        throw invalidPolicy(`Invalid Condition: unknown operation '${rawOp}'.`);
      }
    } else if (typeof c === 'object' && c !== null) {
      const entries = Object.entries(c);
      if (entries.length !== 1) {
        throw invalidPolicy(
          'Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
        );
      }
      const [name, value] = entries[0]!;
      if (value === null) throw invalidPolicy('Invalid JSON.');
      if (typeof value !== 'string') throw invalidPolicy('Invalid Simple-Condition: value must be a string.');
      conditions.push({
        kind: 'match',
        op: 'eq',
        field: `$${name}`,
        value,
        display: show(['eq', `$${name}`, value]),
      });
    } else {
      throw invalidPolicy('Invalid condition test: must be a List or Object.');
    }
  }
  return conditions;
}

function parsePolicyDocument(policyBase64: string): { expiration: Date; conditions: Condition[] } {
  if (!BASE64.test(policyBase64)) throw invalidPolicy('invalid Base64 encoding.');
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  for (const key of Object.keys(doc)) {
    if (key !== 'expiration' && key !== 'conditions')
      throw invalidPolicy(`Unexpected: '${key.toLowerCase()}'`);
  }
  const { expiration, conditions } = doc as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  if (conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (
    typeof expiration !== 'string' ||
    !EXPIRATION.test(expiration) ||
    Number.isNaN(Date.parse(expiration))
  ) {
    throw invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  }
  if (!Array.isArray(conditions)) throw invalidPolicy("Invalid 'conditions' value: must be a List.");
  return { expiration: new Date(expiration), conditions: parseConditions(conditions) };
}

function policyFailed(display: string): S3Error {
  return accessDenied(`Invalid according to Policy: Policy Condition failed: ${display}`);
}

const EXEMPT = new Set(['x-amz-signature', 'policy', 'file']);

/**
 * Parses the (already signature-checked) policy and checks expiration, every condition but the size,
 * and that every field is covered. `key` is the object key after `${filename}` expansion; `bucket` the
 * bucket of the URL.
 */
export function checkPolicy(
  policyBase64: string,
  fields: FormFields,
  target: { bucket: string; key: string; now: number },
): CheckedPolicy {
  const { expiration, conditions } = parsePolicyDocument(policyBase64);
  if (target.now > expiration.getTime()) throw accessDenied('Invalid according to Policy: Policy expired.');
  let minSize = 0;
  let maxSize = Number.POSITIVE_INFINITY;
  const covered = new Set<string>();
  for (const c of conditions) {
    if (c.kind === 'range') {
      if (c.min === undefined || c.max === undefined) throw policyFailed(c.display);
      minSize = Math.max(minSize, c.min);
      maxSize = Math.min(maxSize, c.max);
      continue;
    }
    if (!c.field.startsWith('$')) throw policyFailed(c.display);
    const name = c.field.slice(1).toLowerCase();
    covered.add(name);
    const values: (string | undefined)[] =
      name === 'bucket'
        ? [target.bucket, ...(fields.has('bucket') ? [fields.get('bucket')] : [])]
        : name === 'key'
          ? [target.key]
          : [fields.get(name)];
    for (const value of values) {
      if (value === undefined) throw policyFailed(c.display);
      if (c.op === 'eq' && value !== c.value) throw policyFailed(c.display);
      if (c.op === 'starts-with') {
        const items = name === 'content-type' && value.includes(',') ? value.split(',') : [value];
        if (!items.every((item) => item.startsWith(c.value))) throw policyFailed(c.display);
      }
    }
  }
  const extra = fields
    .entries()
    .map((f) => f.name)
    .filter((n) => {
      const lower = n.toLowerCase();
      return !EXEMPT.has(lower) && !lower.startsWith('x-ignore-') && !covered.has(lower);
    });
  if (extra.length > 0)
    throw accessDenied(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
  return { expiration, minSize, maxSize };
}

/** content-length-range, once the file size is known. */
export function checkSize(policy: CheckedPolicy, size: number): void {
  if (size > policy.maxSize) {
    throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: size,
      MaxSizeAllowed: policy.maxSize,
    });
  }
  if (size < policy.minSize) {
    throw new S3Error(
      400,
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
      {
        ProposedSize: size,
        MinSizeAllowed: policy.minSize,
      },
    );
  }
}
