/**
 * The baseline of the message benchmark in its own process: the bare restify + CloudAdapter echo bot of
 * the end-to-end suite (no auth, loopback), which prints its endpoint and runs until killed.
 */
import { startEchoBot } from '../../test/e2e/support/echo-bot';

startEchoBot().then(
  (bot) => process.stdout.write(`echo bot listening on ${bot.endpoint}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
