/** The admin command line's process: `npm run admin -- <command>`. The program itself is src/cli/main.ts. */
import { runCliProcess } from './cli/main';

runCliProcess();
