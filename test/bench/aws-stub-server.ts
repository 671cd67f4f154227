/**
 * The local AWS endpoint of aws-stub.ts as a process of its own (`startFakeAwsEndpointProcess`): the CPU it
 * spends answering is then not counted as the hub's, as AWS's is not in production. Prints its URL, then serves
 * until SIGTERM.
 */
import { startFakeAwsEndpoint } from './aws-stub.js';

const aws = await startFakeAwsEndpoint(new Map());
process.stdout.write(`${aws.url}\n`);
process.on('SIGTERM', () => {
  void aws.stop().then(() => process.exit(0));
});
