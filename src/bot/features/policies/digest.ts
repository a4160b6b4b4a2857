/**
 * The health watch's digest, posted proactively where approval cards go: the registered approvals channel, or
 * else each approver's personal chat. Implements the requests service's DigestPoster port.
 */
import { CardFactory } from 'botbuilder';
import type { DigestPoster, HealthDigest } from '../../../requests/ports';
import { type AdaptiveCard, type CardElement, adaptiveCard, counted, formatTime, heading, plain, text } from '../../cards/elements';
import { problemHeading } from '../../cards/findings';
import type { ApproverReach, ProactiveSender } from '../../proactive';
import { policyEntry } from './policiesCard';

export interface DigestPosterDeps {
  readonly sender: ProactiveSender;
  /** Where approvers are: the same places approval cards go. */
  readonly reach: ApproverReach;
}

export function digestCard(digest: HealthDigest): AdaptiveCard {
  const body: CardElement[] = [
    heading('Device-group health'),
    text(`Checked ${formatTime(digest.at)}: ${counted(digest.newFindings.reduce((sum, policy) => sum + policy.findings.length, 0), 'new problem')}, ${digest.cleared.length} cleared.`, { isSubtle: true }),
    ...digest.newFindings.map((policy, index) => policyEntry(policy, index)),
  ];
  if (digest.cleared.length > 0) {
    body.push(heading('Cleared since the last digest'));
    body.push(...digest.cleared.map((line) => text(`✅ ${plain(line.policyName)}: ${problemHeading(line.code)}`, { spacing: 'None' })));
  }
  return adaptiveCard(body);
}

export function createDigestPoster(deps: DigestPosterDeps): DigestPoster {
  return {
    async postDigest(digest) {
      const card = digestCard(digest);
      let delivered = false;
      for (const reference of await deps.reach.approvalTargets()) {
        const sent = await deps.sender.inConversation(reference, 'health digest', async (context) => {
          await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
        });
        delivered ||= sent;
      }
      return delivered;
    },
  };
}
