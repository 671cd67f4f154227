import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../topology.js';

/**
 * A Lambda `Context` as the Node.js runtime builds it, for the local runtime and for tests.
 * `getRemainingTimeInMillis()` counts down from the function's timeout on the given clock.
 */
export interface LambdaContextInput {
  functionName: string;
  timeoutSeconds: number;
  memoryMb?: number;
  region?: string;
  accountId?: string;
  awsRequestId?: string;
  functionVersion?: string;
  /** Milliseconds since the epoch; defaults to Date.now. Tests inject their clock here. */
  now?: () => number;
}

export const LOCAL_ACCOUNT_ID = '000000000000';

function logStreamName(startedAt: number, version: string): string {
  const d = new Date(startedAt);
  const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${date}/[${version}]${randomBytes(16).toString('hex')}`;
}

export function createLambdaContext(input: LambdaContextInput): Context {
  const now = input.now ?? Date.now;
  const region = input.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const accountId = input.accountId ?? LOCAL_ACCOUNT_ID;
  const version = input.functionVersion ?? '$LATEST';
  const startedAt = now();
  const deadline = startedAt + input.timeoutSeconds * 1000;
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported by async handlers`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: input.functionName,
    functionVersion: version,
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${input.functionName}`,
    memoryLimitInMB: String(input.memoryMb ?? 128),
    awsRequestId: input.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: logStreamName(startedAt, version),
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

/** A context for one invocation of a topology function. */
export function contextForFunction(
  fn: Pick<FunctionSpec, 'name' | 'timeoutSeconds' | 'memoryMb'>,
  options: Omit<LambdaContextInput, 'functionName' | 'timeoutSeconds' | 'memoryMb'> = {},
): Context {
  return createLambdaContext({
    ...options,
    functionName: fn.name,
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
  });
}
