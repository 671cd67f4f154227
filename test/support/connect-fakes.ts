/**
 * Fake Lever (with its OAuth endpoints) and fake Greenhouse for the connect page, and the local-only providers
 * file that points the page at them (`CONNECT_PROVIDERS_FILE`, docs/connect.md). Shared by the browser tests.
 */
import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createControllableClock } from '../fakes/common/controllable-clock.js';
import { type GreenhouseFake, startGreenhouseFake } from '../fakes/greenhouse/index.js';
import { type LeverFake, startLeverFake } from '../fakes/lever/index.js';

export interface ConnectFakes {
  lever: LeverFake;
  greenhouse: GreenhouseFake;
  stop(): Promise<void>;
}

/** A providers file path known before the fakes start, so the runtime's env can name it in the same file's hooks. */
export function connectProvidersFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'hub-connect-fakes-')), 'connect-providers.json');
}

export async function startConnectFakes(
  providersFile: string,
  greenhouseSize: { jobs?: number; candidates?: number } = {},
): Promise<ConnectFakes> {
  const lever = await startLeverFake({ clock: createControllableClock(Date.now()) });
  const greenhouse = await startGreenhouseFake({
    ...greenhouseSize,
    clock: createControllableClock(Date.now()),
  });
  await writeFile(
    providersFile,
    JSON.stringify({
      lever: {
        baseUrl: lever.url,
        authUrl: lever.authUrl,
        authorizeUrl: lever.authorizeUrl,
        ...lever.oauthClient,
      },
      greenhouse: { baseUrl: greenhouse.url, authUrl: greenhouse.authUrl },
    }),
  );
  return {
    lever,
    greenhouse,
    async stop() {
      await lever.stop();
      await greenhouse.stop();
      await rm(join(providersFile, '..'), { recursive: true, force: true });
    },
  };
}
