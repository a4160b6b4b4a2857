/**
 * The Agents Playground's fake identities (scripts/playground-config.js, env/.env.playground): its tenant and
 * its bot. The sandbox bot runs without an identity, yet the token service names connections by bot
 * (`api://botid-{id}`) and botbuilder's user-token client needs an app id, so both sides of the sandbox use these.
 */
export const PLAYGROUND_TENANT_ID = '00000000-0000-4000-8000-000000000001';
export const PLAYGROUND_BOT_ID = '00000000-0000-0000-0000-0000000000b0';
