/**
 * A person acting on a request. Identified by the Entra object id from `activity.from.aadObjectId`;
 * the name is for display and audit only and is never used for authorisation.
 */
export interface Actor {
  readonly aadObjectId: string;
  readonly name: string;
}
