/**
 * Receiving one browser POST upload (multipart/form-data) as S3 does: the form fields before the file are
 * collected (at most 20 KiB), the POST policy is checked when the file part starts (`post-policy.ts`), and
 * the file streams into a temporary file, counted and digested, without keeping more than the policy and
 * the store allow. The first failure wins; the request is still read to the end so the answer arrives.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream/promises';
import { type Digests, newDigests, updateDigests } from './checksums.js';
import type { StoreContext } from './context.js';
import { invalidArgument, malformedPost, malformedXml, S3Error } from './errors.js';
import { MultipartError, MultipartParser, type PartHeaders } from './multipart.js';
import {
  type CheckedPolicy,
  checkPolicy,
  type FormField,
  FormFields,
  verifySignature,
} from './post-policy.js';
import { parseTagging } from './xml.js';

const MAX_PRE_DATA_BYTES = 20 * 1024;
const MAX_KEY_BYTES = 1024;

/** What the policy accepted when the file part started. */
export interface AcceptedUpload {
  key: string;
  policy: CheckedPolicy;
  form: FormFields;
  digests: Digests;
}

type CurrentPart = { kind: 'field'; name: string; chunks: Buffer[] } | { kind: 'file' } | { kind: 'ignore' };

function basename(filename: string): string {
  const i = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
  return i >= 0 ? filename.slice(i + 1) : filename;
}

/** The object key of the form: `${filename}` replaced by the file's base name, length-checked. */
function objectKey(form: FormFields, part: PartHeaders): string {
  const rawKey = form.get('key');
  if (rawKey === undefined) {
    throw invalidArgument(
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      'key',
    );
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal ${filename} form variable
  const variable = '${filename}';
  const key = part.filename !== undefined ? rawKey.split(variable).join(basename(part.filename)) : rawKey;
  if (key.length === 0) throw invalidArgument('User key must have a length greater than 0.', 'key');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', {
      Size: Buffer.byteLength(key),
      MaxSizeAllowed: MAX_KEY_BYTES,
    });
  }
  return key;
}

export class PostUploadReceiver {
  failure: S3Error | undefined;
  accepted: AcceptedUpload | undefined;
  fileSeen = false;
  /** Bytes of the file part (counted on even past the limit: S3 reports the proposed size). */
  size = 0;
  /** The file went past the policy's or the store's limit; nothing more was written. */
  tooLarge = false;
  tmpPath: string | undefined;
  stream: WriteStream | undefined;
  private readonly fields: FormField[] = [];
  private preDataBytes = 0;
  private current: CurrentPart | undefined;
  private fileDone = false;
  private waitingForDrain = false;
  private readonly parser: MultipartParser;

  constructor(
    private readonly ctx: StoreContext,
    private readonly req: IncomingMessage,
    private readonly bucket: string,
    private readonly boundary: string,
  ) {
    this.parser = new MultipartParser(boundary, {
      onPartStart: (part) => this.onPartStart(part),
      onPartData: (data) => this.onPartData(data),
      onPartEnd: () => this.onPartEnd(),
    });
  }

  fail(error: S3Error): void {
    this.failure ??= error;
  }

  /** Feeds the whole request through the form parser. */
  receive(): Promise<void> {
    const { req, ctx } = this;
    let requestBytes = 0;
    return new Promise<void>((resolve) => {
      req.on('data', (chunk: Buffer) => {
        requestBytes += chunk.length;
        if (requestBytes > ctx.maxObjectBytes + 1024 * 1024) {
          this.fail(
            new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'),
          );
          req.destroy();
          resolve();
          return;
        }
        if (this.failure && !this.fileSeen) return;
        try {
          this.parser.write(chunk);
        } catch (error) {
          if (error instanceof MultipartError) this.fail(malformedPost());
          else this.fail(new S3Error(500, 'InternalError', String(error)));
        }
      });
      req.on('end', () => {
        if (!this.failure) {
          try {
            this.parser.end();
          } catch {
            this.fail(malformedPost());
          }
        }
        resolve();
      });
      req.on('error', () => {
        this.fail(new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly'));
        resolve();
      });
    });
  }

  /** Removes what was written of a refused upload. */
  async discard(): Promise<void> {
    if (this.stream) {
      this.stream.destroy();
      await finished(this.stream).catch(() => undefined);
    }
    if (this.tmpPath) await rm(this.tmpPath, { force: true });
  }

  private onPartStart(part: PartHeaders): void {
    if (this.failure || this.fileDone) {
      this.current = { kind: 'ignore' };
      return;
    }
    if (part.disposition !== 'form-data' || part.name === undefined) {
      this.fail(malformedPost());
      this.current = { kind: 'ignore' };
      return;
    }
    if (part.name.toLowerCase() === 'file') {
      this.current = { kind: 'file' };
      this.startFile(part);
      return;
    }
    this.preDataBytes += this.boundary.length + 64 + Buffer.byteLength(part.name);
    this.current = { kind: 'field', name: part.name, chunks: [] };
  }

  private onPartData(data: Buffer): void {
    const current = this.current;
    if (!current || current.kind === 'ignore') return;
    if (current.kind === 'field') {
      this.preDataBytes += data.length;
      if (this.preDataBytes > MAX_PRE_DATA_BYTES) {
        this.fail(
          new S3Error(
            400,
            'MaxPostPreDataLengthExceeded',
            'Your POST request fields preceeding the upload file was too large.',
            { MaxPostPreDataLengthBytes: MAX_PRE_DATA_BYTES },
          ),
        );
        this.current = { kind: 'ignore' };
        return;
      }
      current.chunks.push(data);
      return;
    }
    this.size += data.length;
    if (!this.accepted || this.failure) return;
    updateDigests(this.accepted.digests, data);
    if (this.size > Math.min(this.accepted.policy.maxSize, this.ctx.maxObjectBytes)) {
      this.tooLarge = true;
      return;
    }
    this.write(data);
  }

  private onPartEnd(): void {
    if (this.current?.kind === 'field') {
      this.fields.push({
        name: this.current.name,
        value: Buffer.concat(this.current.chunks).toString('utf8'),
      });
    } else if (this.current?.kind === 'file') {
      this.fileDone = true;
    }
    this.current = undefined;
  }

  /** Writes to the temporary file, pausing the request while the file catches up. */
  private write(data: Buffer): void {
    const { stream, req } = this;
    if (stream && !stream.write(data) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      req.pause();
      stream.once('drain', () => {
        this.waitingForDrain = false;
        req.resume();
      });
    }
  }

  /** The file part starts: every field is known, so the policy decides now whether anything is kept. */
  private startFile(part: PartHeaders): void {
    this.fileSeen = true;
    const form = new FormFields(this.fields);
    try {
      const key = objectKey(form, part);
      const policyText = verifySignature(form, { credentials: this.ctx.secretOf, region: this.ctx.region });
      const policy = checkPolicy(policyText, form, { bucket: this.bucket, key, now: this.ctx.now() });
      const tagging = form.get('tagging');
      if (tagging !== undefined && parseTagging(tagging) === undefined) throw malformedXml();
      this.accepted = { key, policy, form, digests: newDigests((n) => form.get(n)) };
      this.tmpPath = this.ctx.storage.newTmpPath();
      this.stream = createWriteStream(this.tmpPath, { flags: 'wx' });
      this.stream.on('error', (error) =>
        this.fail(new S3Error(500, 'InternalError', `cannot store the upload: ${error.message}`)),
      );
    } catch (error) {
      if (error instanceof S3Error) this.fail(error);
      else throw error;
    }
  }
}
