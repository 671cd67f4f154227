/** The second half of the providers' 10,000-record imports (see large-import.ts). */
import { largeImports } from './large-import.js';

largeImports(1);
