import { createServer } from 'node:http';
import { S3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { s3PostPresigner } from '../../shared/aws/s3-post-presigner.js';
import { SqsQueue } from '../../shared/aws/sqs-queue.js';
import { startFakeAwsEndpoint } from './aws-stub.js';

process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCHMARK';
process.env.AWS_SECRET_ACCESS_KEY = 'x';
process.env.AWS_SESSION_TOKEN = 'tok';
const store = new S3ObjectStore({ bucket: 'hub-prod-bucket', clientConfig: { region: 'eu-west-1' }, presigner: s3PostPresigner } as never);
async function time(label: string, n: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 50; i++) await fn(i);
  const c = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const u = process.cpuUsage(c);
  console.log(label, ((performance.now() - t) / n * 1000).toFixed(0), 'µs wall', ((u.user + u.system) / n).toFixed(0), 'µs cpu');
}
await time('presignPost', 500, (i) => store.presignPost({ key: `resumes/org/app-${i}/x`, contentType: 'application/pdf', maxBytes: 183000, expiresSeconds: 900 }));
const aws = await startFakeAwsEndpoint(new Map());
const q = new SqsQueue({ queueUrl: `${aws.url}/000000000000/hub-prod-sync`, clientConfig: { region: 'eu-west-1', endpoint: aws.url } });
await time('sqs send (incl. local fake server)', 300, (i) => q.sendBatch([{ id: `o${i}`, body: JSON.stringify({ type: 'outbox', outboxId: String(i), payload: { a: 1 } }) }]));
await aws.stop();
void createServer;
