import { describe, expect, it } from 'vitest';
import { S3Error } from '../../../infra/local/s3/errors.js';
import {
  checkPolicy,
  checkSize,
  FormFields,
  policySignature,
  verifySignature,
} from '../../../infra/local/s3/post-policy.js';

// AWS's SigV4 POST example (sigv4-post-example): policy, credentials and the signature it publishes.
const AWS_EXAMPLE_POLICY =
  'eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9';
const AWS_EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AWS_EXAMPLE_SIGNATURE = '8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e';

const SECRET = 'test-secret';
const NOW = Date.parse('2026-03-01T12:00:00Z');

function signedForm(
  conditions: unknown[],
  fields: Record<string, string>,
  expiration = '2026-03-01T12:05:00Z',
) {
  const auth = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'AKIDLOCAL/20260301/us-east-1/s3/aws4_request',
    'X-Amz-Date': '20260301T120000Z',
  };
  const authConditions = Object.entries(auth).map(([k, v]) => ({ [k]: v }));
  const fullPolicy = Buffer.from(
    JSON.stringify({ expiration, conditions: [...conditions, ...authConditions] }),
  ).toString('base64');
  return new FormFields(
    Object.entries({
      ...fields,
      ...auth,
      Policy: fullPolicy,
      'X-Amz-Signature': policySignature(fullPolicy, SECRET, '20260301', 'us-east-1'),
    }).map(([name, value]) => ({ name, value })),
  );
}

function check(conditions: unknown[], fields: Record<string, string>, key = fields.key ?? '') {
  const form = signedForm(conditions, fields);
  const policy = verifySignature(form, { credentials: () => SECRET, region: 'us-east-1' });
  return checkPolicy(policy, form, { bucket: 'hub', key, now: NOW });
}

function failure(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof S3Error) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an S3 error');
}

describe('POST policy signature', () => {
  it("reproduces AWS's published SigV4 POST example signature", () => {
    expect(policySignature(AWS_EXAMPLE_POLICY, AWS_EXAMPLE_SECRET, '20151229', 'us-east-1')).toBe(
      AWS_EXAMPLE_SIGNATURE,
    );
  });

  it('refuses a form without policy or signature as anonymous (AccessDenied)', () => {
    const form = new FormFields([{ name: 'key', value: 'a' }]);

    expect(
      failure(() => verifySignature(form, { credentials: () => SECRET, region: 'us-east-1' })),
    ).toMatchObject({
      status: 403,
      code: 'AccessDenied',
    });
  });

  it('refuses an unknown access key with InvalidAccessKeyId', () => {
    const form = signedForm([{ key: 'a' }], { key: 'a' });

    expect(
      failure(() => verifySignature(form, { credentials: () => undefined, region: 'us-east-1' })),
    ).toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
    });
  });

  it('refuses a credential scoped to another region', () => {
    const form = signedForm([{ key: 'a' }], { key: 'a' });

    expect(
      failure(() => verifySignature(form, { credentials: () => SECRET, region: 'eu-west-1' })),
    ).toMatchObject({
      status: 400,
      code: 'InvalidArgument',
    });
  });
});

describe('POST policy conditions', () => {
  it('accepts a form whose every field is covered and every condition holds', () => {
    const checked = check([{ bucket: 'hub' }, { key: 'k' }, ['content-length-range', 1, 10]], {
      key: 'k',
      bucket: 'hub',
    });

    expect(checked).toMatchObject({ minSize: 1, maxSize: 10 });
  });

  it('matches operators, condition names and field names case-insensitively', () => {
    expect(() => check([['EQ', '$KEY', 'k'], { BUCKET: 'hub' }], { Key: 'k' }, 'k')).not.toThrow();
  });

  it('matches values case-sensitively', () => {
    expect(failure(() => check([['eq', '$key', 'K'], { bucket: 'hub' }], { key: 'k' })).code).toBe(
      'AccessDenied',
    );
  });

  it('checks the bucket condition against the bucket of the URL', () => {
    expect(failure(() => check([{ bucket: 'other' }, { key: 'k' }], { key: 'k' }))).toMatchObject({
      status: 403,
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other"]',
    });
  });

  it('treats a comma-separated Content-Type as a list for starts-with, each item matching', () => {
    const conditions = [{ bucket: 'hub' }, { key: 'k' }, ['starts-with', '$Content-Type', 'image/']];

    expect(() => check(conditions, { key: 'k', 'Content-Type': 'image/png,image/gif' })).not.toThrow();
    expect(
      failure(() => check(conditions, { key: 'k', 'Content-Type': 'image/png,text/plain' })).status,
    ).toBe(403);
  });

  it('fails a condition on a field the form does not send, even starts-with ""', () => {
    const conditions = [{ bucket: 'hub' }, { key: 'k' }, ['starts-with', '$x-amz-meta-tag', '']];

    expect(failure(() => check(conditions, { key: 'k' })).status).toBe(403);
  });

  it('lets x-ignore- fields through without a condition', () => {
    expect(() =>
      check([{ bucket: 'hub' }, { key: 'k' }], { key: 'k', 'x-ignore-client': 'flash' }),
    ).not.toThrow();
  });

  it('refuses an expired policy', () => {
    const form = signedForm([{ key: 'k' }, { bucket: 'hub' }], { key: 'k' }, '2026-03-01T11:59:59Z');
    const policy = verifySignature(form, { credentials: () => SECRET, region: 'us-east-1' });

    expect(failure(() => checkPolicy(policy, form, { bucket: 'hub', key: 'k', now: NOW }))).toMatchObject({
      status: 403,
      message: 'Invalid according to Policy: Policy expired.',
    });
  });

  it.each([
    [[{ key: 'k', bucket: 'hub' }], 'Simple-Conditions must have exactly one property specified.'],
    [[{ key: 1 }], 'value must be a string.'],
    [[['content-length-range', 0, 512.5]], 'Invalid JSON.'],
    [[['ends-with', '$key', 'k']], "unknown operation 'ends-with'."],
    [[['eq', '$key']], 'wrong number of arguments.'],
    [[[]], 'missing operation identifier.'],
  ])('refuses a malformed policy document %j with InvalidPolicyDocument', (conditions, message) => {
    const result = failure(() => check(conditions as unknown[], { key: 'k' }));

    expect(result.status).toBe(400);
    expect(result.code).toBe('InvalidPolicyDocument');
    expect(result.message).toContain(message);
  });

  it('enforces content-length-range bounds inclusively', () => {
    const policy = { expiration: new Date(NOW), minSize: 5, maxSize: 10 };

    expect(() => checkSize(policy, 5)).not.toThrow();
    expect(() => checkSize(policy, 10)).not.toThrow();
    expect(failure(() => checkSize(policy, 11))).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(failure(() => checkSize(policy, 4))).toMatchObject({ status: 400, code: 'EntityTooSmall' });
  });
});
