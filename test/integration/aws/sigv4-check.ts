import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Checks a request's SigV4 signature as AWS would, with AWS's own signer (`@smithy/signature-v4`, the one inside
 * the SDK): re-signs the headers the request says it signed, with the secret the fake knows, and compares.
 * An independent implementation, so a client signing with `aws4` is checked against the SDK's reading of SigV4.
 */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export type SignatureVerdict = 'valid' | 'missing' | 'unknown-key' | 'mismatch';

export async function checkSignature(
  request: { method: string; url: string; headers: IncomingHttpHeaders; body: string },
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<SignatureVerdict> {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!match || !/^\d{8}T\d{6}Z$/.test(amzDate)) return 'missing';
  const [, keyId, , region, service, signedHeaders, signature] = match;
  if (keyId !== credentials.accessKeyId) return 'unknown-key';
  const headers: Record<string, string> = {};
  for (const name of (signedHeaders ?? '').split(';')) headers[name] = String(request.headers[name] ?? '');
  const token = request.headers['x-amz-security-token'];
  const signer = new SignatureV4({
    service: service ?? '',
    region: region ?? '',
    sha256: Sha256,
    applyChecksum: false,
    credentials: { ...credentials, ...(typeof token === 'string' ? { sessionToken: token } : {}) },
  });
  const [path, query] = request.url.split('?');
  const resigned = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: String(request.headers.host ?? '').split(':')[0] ?? '',
      path: path ?? '/',
      query: Object.fromEntries(new URLSearchParams(query ?? '')),
      headers,
      body: request.body,
    },
    {
      signingDate: new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      ),
    },
  );
  return String(resigned.headers.authorization).endsWith(`Signature=${signature}`) ? 'valid' : 'mismatch';
}
