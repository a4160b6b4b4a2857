/** Where the crash tests kill a provisioning instance, in the order the steps happen. */
export const CRASH_STEPS = ['claimed', 'groupUpserted', 'groupRecorded', 'ensured'] as const;
export type CrashStep = (typeof CRASH_STEPS)[number];
