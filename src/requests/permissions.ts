/**
 * Who may do what to requests and policies: every rule in one place, each answering with the refusal a
 * person reads, or undefined when the actor may go ahead. The actor is always the Entra object id the
 * driver read from the platform (Teams' `from.aadObjectId`), never anything echoed back in card data.
 */
import type { Actor } from '../domain/actor';
import type { GroupRequest } from '../domain/request';
import type { ApproverDirectory } from './ports';

export const NOT_AN_APPROVER = 'Only approvers can do that.';

export interface Permissions {
  isApprover(actor: Actor): Promise<boolean>;
  /** Approve or reject. */
  decide(request: GroupRequest, actor: Actor): Promise<string | undefined>;
  cancel(request: GroupRequest, actor: Actor): string | undefined;
  retry(actor: Actor): Promise<string | undefined>;
  /** See and click the approver's buttons of an approval card, or list what is pending. */
  review(actor: Actor): Promise<string | undefined>;
  /** Repair, bind, register the approvals channel: changes to the tenant or to where approvals go. */
  administer(actor: Actor, what: string): Promise<string | undefined>;
}

export function createPermissions(approvers: ApproverDirectory, options: { readonly allowSelfApproval?: boolean } = {}): Permissions {
  const isApprover = (actor: Actor): Promise<boolean> => approvers.isApprover(actor);
  return {
    isApprover,
    async decide(request, actor) {
      if (!(await isApprover(actor))) return 'Only approvers can approve or reject requests.';
      if (request.requester.aadObjectId === actor.aadObjectId && options.allowSelfApproval !== true) {
        return 'You cannot decide your own request; another approver has to.';
      }
      return undefined;
    },
    cancel(request, actor) {
      return request.requester.aadObjectId === actor.aadObjectId ? undefined : 'Only the person who asked for it can cancel a request.';
    },
    async retry(actor) {
      return (await isApprover(actor)) ? undefined : 'Only approvers can retry provisioning.';
    },
    async review(actor) {
      return (await isApprover(actor)) ? undefined : NOT_AN_APPROVER;
    },
    async administer(actor, what) {
      return (await isApprover(actor)) ? undefined : `Only approvers can ${what}.`;
    },
  };
}
