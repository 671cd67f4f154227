import { xmlDocument } from './xml.js';

/** An S3 error answer: status, code, message and the extra elements S3 adds for that code. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'S3Error';
  }

  toXml(requestId: string): string {
    return xmlDocument(
      'Error',
      { Code: this.code, Message: this.message, ...this.extra, RequestId: requestId, HostId: requestId },
      false,
    );
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string) =>
  new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });

export const accessDenied = (message = 'Access Denied') => new S3Error(403, 'AccessDenied', message);

export const invalidArgument = (message: string, name: string, value = '') =>
  new S3Error(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });

export const invalidPolicy = (message: string) =>
  new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`);

export const malformedPost = () =>
  new S3Error(
    400,
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );

export const malformedXml = () =>
  new S3Error(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
  );
