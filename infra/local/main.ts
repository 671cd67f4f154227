/**
 * `npm start`: the whole topology on one machine. Every HTTP route becomes an API Gateway payload v2 event
 * for the same handler Lambda runs, queues behave like SQS, schedules tick, Postgres is embedded (or
 * DATABASE_URL), objects go to a local S3-compatible store through the same S3 client code, and secrets come
 * from `.local/secrets.json` through the same secrets port.
 */
import { startLocalRuntime } from './runtime.js';

const runtime = await startLocalRuntime({
  port: Number(process.env.PORT ?? 3000),
  localDir: process.env.LOCAL_DIR ?? '.local',
  databaseUrl: process.env.DATABASE_URL,
});

process.stdout.write(runtime.describe());

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping…\n`);
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
