import { fileURLToPath } from 'node:url';
import { staticHandler } from '../../shared/http/static-stack.js';
import { type ConsoleAssets, consoleResponse, loadConsoleAssets } from './use-case.js';

// CDK builds the files next to the bundle (infra/stacks/stateless-stack.ts); the local runtime names its folder
const dir = () => process.env.CONSOLE_ASSETS_DIR ?? fileURLToPath(new URL('./console/', import.meta.url));
let assets: ConsoleAssets | undefined;

export const handler = staticHandler(async (event) => {
  assets ??= loadConsoleAssets(dir());
  return consoleResponse(assets, event.pathParameters?.file);
});
