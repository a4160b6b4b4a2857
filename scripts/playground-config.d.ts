/** Types of scripts/playground-config.js for the tests. */
export interface PlaygroundUser {
  readonly id: string;
  readonly name: string;
  readonly userPrincipleName: string;
  readonly aadObjectId: string;
  readonly givenName: string;
  readonly surname: string;
  readonly email: string;
}
export type RoleName = 'helpdesk' | 'approver';
export interface PlaygroundConfig {
  readonly version: string;
  readonly tenantId: string;
  readonly bot: { readonly id: string; readonly name: string };
  readonly currentUser: PlaygroundUser;
  readonly users: readonly PlaygroundUser[];
  readonly personalChat: { readonly id: string };
  readonly groupChat: { readonly id: string; readonly name: string };
  readonly team: {
    readonly id: string;
    readonly name: string;
    readonly aadGroupId: string;
    readonly channels: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  };
}
export const PEOPLE: { readonly helpdeskAgent: PlaygroundUser; readonly approver: PlaygroundUser; readonly others: readonly PlaygroundUser[] };
export const ROLES: Readonly<Record<RoleName, { readonly label: string; readonly user: PlaygroundUser; readonly file: string }>>;
export const SANDBOX_APPROVER_IDS: readonly string[];
export function playgroundConfig(role: RoleName): PlaygroundConfig;
export function renderPlaygroundConfig(role: RoleName): string;
export function writePlaygroundConfigs(): void;
