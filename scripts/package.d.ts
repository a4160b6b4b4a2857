/** Types of scripts/package.js for the tests (the script itself is plain JavaScript: it runs before any build). */
export function readEnvFile(file: string): Record<string, string>;
export function fillPlaceholders(template: string, values: Readonly<Record<string, string | undefined>>): { text: string; missing: string[] };
/** `directory`: the app package folder (appPackage/ by default). */
export function renderManifest(values: Readonly<Record<string, string | undefined>>, directory?: string): Record<string, unknown>;
export function buildAppPackage(values: Readonly<Record<string, string | undefined>>, directory?: string): Buffer;
