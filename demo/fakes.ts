/**
 * `npm run fakes`: a fake Lever (with its OAuth consent and token endpoints) and a fake Greenhouse, kept running
 * beside `npm start` until Ctrl-C, so the hosted connect page has something real to connect to (docs/connect.md).
 * Their endpoints go to `<LOCAL_DIR>/connect-providers.json`, which the local runtime's connect page reads on
 * every request (local stage only); the file is removed on exit.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createControllableClock } from '../test/fakes/common/controllable-clock.js';
import { startGreenhouseFake } from '../test/fakes/greenhouse/index.js';
import { startLeverFake } from '../test/fakes/lever/index.js';

const localDir = resolve(process.env.LOCAL_DIR ?? '.local');
const file = join(localDir, 'connect-providers.json');

// real-time clocks: the hub's incremental cursors and the fakes' timestamps agree
const lever = await startLeverFake({ postings: 4, contacts: 40, clock: createControllableClock(Date.now()) });
const greenhouse = await startGreenhouseFake({
  jobs: 3,
  candidates: 60,
  clock: createControllableClock(Date.now()),
});

await mkdir(localDir, { recursive: true });
await writeFile(
  file,
  `${JSON.stringify(
    {
      lever: {
        baseUrl: lever.url,
        authUrl: lever.authUrl,
        authorizeUrl: lever.authorizeUrl,
        clientId: lever.oauthClient.clientId,
        clientSecret: lever.oauthClient.clientSecret,
      },
      greenhouse: { baseUrl: greenhouse.url, authUrl: greenhouse.authUrl },
    },
    null,
    2,
  )}\n`,
);

process.stdout.write(`Fake providers for the connect page (written to ${file}):
  Lever       ${lever.url}  (OAuth consent ${lever.authorizeUrl}; choose Lever on the page and accept)
  Greenhouse  ${greenhouse.url}  client id: ${greenhouse.credentials.clientId}  client secret: ${greenhouse.credentials.clientSecret}

Make a connect link with the admin key of .local/credentials.json:
  curl -s -X POST http://127.0.0.1:\${PORT:-3000}/connect-sessions -H "authorization: Bearer $ADMIN" \\
    -H 'content-type: application/json' -d '{}'
Ctrl-C stops the fakes.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await rm(file, { force: true });
  await Promise.all([lever.stop(), greenhouse.stop()]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
