import { helpCard } from './helpCard';
import { COMMANDS } from './help';
import type { InvokeReply } from '../../turn';

/** "Help" on the welcome card. */
export async function showHelp(): Promise<InvokeReply> {
  return { card: helpCard({ commands: COMMANDS }) };
}
