import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs a CLI's `main` with the process arguments and exits with its code, only when the module is the entry
 * point (`tsx infra/cli/x.ts`), so tests can import the module and call `main` themselves.
 */
export function runIfMain(moduleUrl: string, main: (argv: string[]) => Promise<number>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
