import { CARD_VERBS } from '../../verbs';
import { type AdaptiveCard, adaptiveCard, execute, facts, heading, plain, text } from '../../cards/elements';

export interface CommandHelp {
  readonly usage: string;
  readonly description: string;
}

export interface HelpCardView {
  readonly commands: readonly CommandHelp[];
  /** What the user typed when it matched no command, and the command it is a typing slip of, if any. */
  readonly unknown?: { readonly typed: string; readonly closest: string | undefined };
}

export function helpCard(view: HelpCardView): AdaptiveCard {
  const intro = view.unknown ? [text(unknownSentence(view.unknown.typed, view.unknown.closest))] : [];
  return adaptiveCard([
    heading('What I can do'),
    ...intro,
    facts(view.commands.map((c) => [plain(c.usage), plain(c.description)] as const)),
  ]);
}

function unknownSentence(typed: string, closest: string | undefined): string {
  const known = `I don't know "${plain(typed)}".`;
  return closest === undefined ? `${known} These are the commands I understand:` : `${known} Did you mean **${closest}**?`;
}

/** Sent when the bot is installed in a personal chat or a team. */
export function welcomeCard(): AdaptiveCard {
  return adaptiveCard(
    [
      heading('Autopilot device groups'),
      text(
        'I create the Microsoft Entra device group a Windows Autopilot device-preparation policy needs: ' +
          'one static security group per policy, owned by the Intune provisioning client. ' +
          'Ask for one here, an approver decides, and I tell you when it exists.',
      ),
    ],
    {
      actions: [
        execute('Request a group', CARD_VERBS.openRequestForm, {}),
        execute('My requests', CARD_VERBS.showMine, {}),
        execute('Help', CARD_VERBS.showHelp, {}),
      ],
    },
  );
}
