/** The Secrets Manager operations the hub calls, answered by the fake AWS endpoint from an in-memory map. */
import { awsError, type FakeAnswer, type FakeCall } from '../integration/aws/fake-aws-endpoint.js';

/** A Secrets Manager that keeps SecretString per name in `stored` (no versions). */
export function secretsManagerAnswer(stored: Map<string, string>): (call: FakeCall) => FakeAnswer {
  const notFound = awsError(
    400,
    'ResourceNotFoundException',
    "Secrets Manager can't find the specified secret.",
  );
  return (call) => {
    const id = String(call.input.SecretId ?? call.input.Name);
    const written = { body: { ARN: `arn:${id}`, Name: id, VersionId: 'v' } };
    switch (call.operation) {
      case 'GetSecretValue': {
        const value = stored.get(id);
        return value === undefined ? notFound : { body: { ARN: `arn:${id}`, Name: id, SecretString: value } };
      }
      case 'PutSecretValue':
        if (!stored.has(id)) return notFound;
        stored.set(id, String(call.input.SecretString));
        return written;
      case 'CreateSecret':
        if (stored.has(id)) return awsError(400, 'ResourceExistsException', 'exists');
        stored.set(id, String(call.input.SecretString));
        return written;
      default:
        return awsError(400, 'InvalidAction', call.operation);
    }
  };
}
