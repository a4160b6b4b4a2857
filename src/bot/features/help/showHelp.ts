import { helpCard } from './helpCard';
import { COMMANDS } from './help';
import { type InvokeReply, OPENED_BELOW } from '../../turn';

/** "Help" on the welcome card. */
export async function showHelp(): Promise<InvokeReply> {
  return { post: helpCard({ commands: COMMANDS }), message: OPENED_BELOW };
}
