/**
 * The Teams Toolkit files, checked by the Toolkit's own code (@microsoft/teamsfx-core, what the CLI and VS Code
 * run), offline: every teamsapp*.yml / m365agents*.yml against its YAML schema, and for every environment (env/.env.*) the
 * placeholders of each action, of infra/azure.parameters.json, of the Entra app manifest (aad.manifest.json) and
 * of the Teams manifest resolved in the order `provision` then `deploy` would resolve them, for a user who filled
 * in only what the README asks. Then the approver's sign-in (issue 19): one SSO resource across the Entra app,
 * the Azure Bot's OAuth connection and the Teams manifest.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTools } from '@microsoft/teamsfx-core/build/common/globalVars';
import { resolve } from '@microsoft/teamsfx-core/build/component/configManager/lifecycle';
import type { DriverDefinition } from '@microsoft/teamsfx-core/build/component/configManager/interface';
import { yamlParser } from '@microsoft/teamsfx-core/build/component/configManager/parser';
import { convertOutputs } from '@microsoft/teamsfx-core/build/component/driver/arm/util/util';
import type { AADApplication } from '@microsoft/teamsfx-core/build/component/driver/aad/interface/AADApplication';
import { AadManifestHelper } from '@microsoft/teamsfx-core/build/component/driver/aad/utility/aadManifestHelper';
import { buildAadManifest } from '@microsoft/teamsfx-core/build/component/driver/aad/utility/buildAadManifest';
import { getPermissionMap, graphAppId } from '@microsoft/teamsfx-core/build/component/driver/aad/permissions';
import { getResolvedManifest } from '@microsoft/teamsfx-core/build/component/driver/teamsApp/utils/utils';
import { expandEnvironmentVariable, getEnvironmentVariables } from '@microsoft/teamsfx-core/build/component/utils/common';
import { ManifestType } from '@microsoft/teamsfx-core/build/component/utils/envFunctionUtils';
import { envUtil } from '@microsoft/teamsfx-core/build/component/utils/envUtil';
import { pathUtils } from '@microsoft/teamsfx-core/build/component/utils/pathUtils';
import { readEnvFile } from '../scripts/package';

const ROOT = join(__dirname, '..');
const APPROVER_GROUP = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

/** What README.md tells a user to fill in, per environment, before running the Toolkit. */
const README_INPUT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  dev: { APPROVER_GROUP_ID: APPROVER_GROUP },
  local: { BOT_ENDPOINT: 'https://abc123-3978.euw.devtunnels.ms', BOT_DOMAIN: 'abc123-3978.euw.devtunnels.ms' },
  playground: {},
};

/**
 * What the Toolkit itself supplies before a provision with Azure actions (its coordinator: RESOURCE_SUFFIX is
 * generated, subscription and resource group are asked for). Its list of Azure actions is `["arm/deploy"]`.
 */
const AZURE_ACTIONS = new Set(['arm/deploy']);
const COORDINATOR_VALUES = {
  RESOURCE_SUFFIX: 'a1b2c3',
  AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-00000000a2be',
  AZURE_RESOURCE_GROUP_NAME: 'rg-autopilot-groups',
};

const environments = readdirSync(join(ROOT, 'env'))
  .map((file) => /^\.env\.([a-z0-9-]+)$/.exec(file)?.[1])
  .filter((name): name is string => name !== undefined)
  .sort();
const ymlFiles = readdirSync(ROOT).filter((file) => /^(teamsapp|m365agents)(\.[a-z0-9-]+)?\.yml$/.test(file)).sort();

beforeAll(() => {
  // The env reader reports telemetry through the host's tools; there is no host here.
  setTools({} as Parameters<typeof setTools>[0]);
});

describe('Toolkit YAML files', () => {
  it.each(ymlFiles)('%s is valid against its schema version (v1.11 or later)', async (file) => {
    const parsed = await yamlParser.parse(join(ROOT, file), true);
    if (parsed.isErr()) throw new Error(`${file}: ${parsed.error.message}`);
    expect(minorVersion(parsed.value.version)).toBeGreaterThanOrEqual(11);
  });

  it.each(ymlFiles)('%s has every Entra app it creates make its service principal', async (file) => {
    const parsed = await yamlParser.parse(join(ROOT, file), true);
    if (parsed.isErr()) throw new Error(parsed.error.message);
    const actions = [...(parsed.value.provision?.driverDefs ?? []), ...(parsed.value.deploy?.driverDefs ?? [])];
    const creations = actions.filter((action) => action.uses === 'aadApp/create');
    for (const action of creations) expect(action.with).toMatchObject({ generateServicePrincipal: true });
  });

  it('each file is the one the Toolkit reads for some environment', () => {
    const read = new Set(environments.map((environment) => basename(pathUtils.getYmlFilePath(ROOT, environment) ?? '')));
    expect(ymlFiles.filter((file) => !read.has(file))).toEqual([]);
  });

  it('the schema check is live: generateServicePrincipal is refused under v1.7', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'toolkit-'));
    try {
      const file = join(folder, 'teamsapp.local.yml');
      writeFileSync(file, readFileSync(join(ROOT, 'teamsapp.local.yml'), 'utf8').replace(/^version: .*$/m, 'version: v1.7'));
      const parsed = await yamlParser.parse(file, true);
      expect(parsed.isErr()).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe.each(environments)('environment %s, resolved by the Toolkit', (environment) => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    // The Toolkit resolves from process.env (which outranks the env files): start from nothing of ours.
    saved = process.env;
    process.env = { PATH: saved.PATH };
  });
  afterEach(() => {
    process.env = saved;
  });

  it('every placeholder of every action, the ARM parameters and the manifest has a value', async () => {
    const input = README_INPUT[environment];
    if (!input) throw new Error(`README_INPUT has no entry for env/.env.${environment}: say what the README asks for it`);
    const read = await envUtil.readEnv(ROOT, environment, true, false);
    if (read.isErr()) throw new Error(read.error.message);
    Object.assign(process.env, input);

    const yml = pathUtils.getYmlFilePath(ROOT, environment);
    if (!yml) throw new Error(`the Toolkit finds no yml file for ${environment}`);
    const parsed = await yamlParser.parse(yml, true);
    if (parsed.isErr()) throw new Error(parsed.error.message);
    const problems: string[] = [];
    for (const lifecycle of ['provision', 'deploy'] as const) {
      const actions = parsed.value[lifecycle]?.driverDefs ?? [];
      if (lifecycle === 'provision' && actions.some((action) => AZURE_ACTIONS.has(action.uses))) {
        for (const [name, value] of Object.entries(COORDINATOR_VALUES)) process.env[name] ||= value;
      }
      for (const action of actions) problems.push(...(await runAction(lifecycle, action)));
    }
    problems.push(...(await manifestProblems('after all actions')));
    expect(problems).toEqual([]);
  });
});

describe("the approver's sign-in (issue 19), as the Toolkit resolves it", () => {
  const SIGN_IN = { SIGN_IN_APP_ID: '3c1f0e2d-5b4a-4c6d-9e8f-7a6b5c4d3e2f', SIGN_IN_APP_OBJECT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', SIGN_IN_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555' };
  const TEAMS_CLIENTS = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = process.env;
    process.env = { PATH: saved.PATH, APP_NAME_SUFFIX: 'dev', ...SIGN_IN };
  });
  afterEach(() => {
    process.env = saved;
  });

  it('gives the sign-in app api://botid-{id} with access_as_user, the Teams clients pre-authorized and the token service redirect', async () => {
    const { application, problems } = await entraManifest('./aad.manifest.json');
    expect(problems).toEqual([]);
    expect(application?.identifierUris).toEqual([`api://botid-${SIGN_IN.SIGN_IN_APP_ID}`]);
    const scope = application?.api?.oauth2PermissionScopes?.find((candidate) => candidate.value === 'access_as_user');
    expect(scope).toMatchObject({ isEnabled: true, type: 'User' });
    expect(application?.api?.preAuthorizedApplications).toEqual(TEAMS_CLIENTS.map((appId) => ({ appId, delegatedPermissionIds: [scope?.id] })));
    expect(application?.web?.redirectUris).toEqual(['https://token.botframework.com/.auth/web/redirect']);
    const graphScopes = (getPermissionMap() as Record<string, { scopes: Record<string, string> }>)[graphAppId].scopes;
    const graph = application?.requiredResourceAccess?.find((resource) => resource.resourceAppId === graphAppId);
    expect(graph?.resourceAccess).toContainEqual({ id: graphScopes['DeviceManagementConfiguration.ReadWrite.All'], type: 'Scope' });
  });

  it('declares the Azure Bot OAuth connection: Azure AD v2 to the sign-in app, the Intune scope, the secret as a secure parameter', () => {
    const connection = bicepResource('Microsoft.BotService/botServices/connections');
    expect(connection).toMatch(/^\s+parent: bot$/m);
    expect(connection).toMatch(/^\s+name: oauthConnectionName$/m);
    expect(connection).toMatch(/^\s+serviceProviderId: '30dd229c-58e3-4a48-bdfd-91ec48eb906c'$/m);
    expect(connection).toMatch(/^\s+clientId: signInAppId$/m);
    expect(connection).toMatch(/^\s+clientSecret: signInAppPassword$/m);
    expect(/^\s+scopes: '([^']*)'$/m.exec(connection)?.[1].split(' ')).toContain('DeviceManagementConfiguration.ReadWrite.All');
    expect(connection).toContain("{ key: 'tenantID', value: signInAppTenantId }");
    expect(readFileSync(join(ROOT, 'infra', 'azure.bicep'), 'utf8')).toMatch(/@secure\(\)\n(@description\([^\n]*\)\n)?param signInAppPassword string\n/);
    // The bot learns the connection's name from the App Service, not from a second copy of it.
    expect(bicepResource('Microsoft.Web/sites')).toContain("{ name: 'OAUTH_CONNECTION_NAME', value: oauthConnectionName }");
  });

  it('uses one SSO resource in the Entra app, the OAuth connection and the Teams manifest', async () => {
    const { application } = await entraManifest('./aad.manifest.json');
    const parameters = JSON.parse(expandEnvironmentVariable(readFileSync(join(ROOT, 'infra', 'azure.parameters.json'), 'utf8'))) as { parameters: Record<string, { value: unknown }> };
    const exchangeUrl = /\{ key: 'tokenExchangeUrl', value: '([^']*)' \}/.exec(bicepResource('Microsoft.BotService/botServices/connections'))?.[1]
      .replace('${signInAppId}', String(parameters.parameters.signInAppId?.value));
    const path = join(ROOT, 'appPackage', 'manifest.json');
    Object.assign(process.env, readEnvFile(join(ROOT, 'env', '.env.dev')), SIGN_IN, { TEAMS_APP_ID: '0d6f5c1e-3b2a-4c9d-8e7f-6a5b4c3d2e1f', BOT_ID: '7e2d4f6a-8b9c-4d1e-a2f3-b4c5d6e7f809', BOT_DOMAIN: 'adgb.azurewebsites.net' });
    const resolved = await getResolvedManifest(readFileSync(path, 'utf8'), path, ManifestType.TeamsManifest, undefined as never);
    if (resolved.isErr()) throw new Error(resolved.error.message);
    const teams = JSON.parse(resolved.value) as { webApplicationInfo: { id: string; resource: string }; validDomains: string[] };
    expect(application?.identifierUris).toEqual([`api://botid-${SIGN_IN.SIGN_IN_APP_ID}`]);
    expect(exchangeUrl).toBe(application?.identifierUris?.[0]);
    expect(teams.webApplicationInfo).toEqual({ id: SIGN_IN.SIGN_IN_APP_ID, resource: application?.identifierUris?.[0] });
    expect(teams.validDomains).toContain('token.botframework.com');
  });
});

describe('the App Service instances (issue 20)', () => {
  it("tell each instance how many share the app's Intune budget: the plan's instance count", () => {
    expect(bicepResource('Microsoft.Web/serverfarms')).toContain('capacity: instanceCount');
    expect(bicepResource('Microsoft.Web/sites')).toContain("{ name: 'GRAPH_INTUNE_INSTANCES', value: string(instanceCount) }");
  });
});

/** Resolves one action like the Toolkit's lifecycle does, checks the files it reads, then sets its outputs. */
async function runAction(lifecycle: string, action: DriverDefinition): Promise<string[]> {
  const where = `${lifecycle} ${action.uses}`;
  const unresolved: string[] = [];
  resolve(action.with, [], unresolved);
  const problems = unresolved.length > 0 ? [`${where}: empty placeholders ${[...new Set(unresolved)].join(', ')}`] : [];
  const args = action.with as Record<string, unknown>;
  if (action.uses === 'arm/deploy') {
    for (const template of args.templates as { path: string; parameters: string }[]) {
      problems.push(...armProblems(template.path, template.parameters));
      const outputs = bicepOutputs(template.path).map((name) => ({ [name]: { type: 'String', value: `${name.toLowerCase()}-from-arm` } }));
      for (const [name, value] of convertOutputs(outputs)) process.env[name] = value;
    }
  }
  if (action.uses === 'aadApp/update') problems.push(...(await entraManifest(args.manifestPath as string)).problems.map((problem) => `${where}: ${problem}`));
  if (action.uses === 'teamsApp/validateManifest' || action.uses === 'teamsApp/zipAppPackage') {
    problems.push(...(await manifestProblems(where)));
  }
  for (const name of Object.values(action.writeToEnvironmentFile ?? {})) process.env[name] = toolkitOutput(name);
  return problems;
}

/** A stand-in for what an action writes: ids are GUIDs, as the Toolkit's actions write them (aadApp/update checks). */
function toolkitOutput(name: string): string {
  if (!name.endsWith('_ID')) return `${name.toLowerCase()}-from-toolkit`;
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The arm/deploy driver's own parameter expansion, and the parameters against the template's declarations. */
function armProblems(templatePath: string, parametersPath: string): string[] {
  const expanded = expandEnvironmentVariable(readFileSync(join(ROOT, parametersPath), 'utf8'));
  const missing = getEnvironmentVariables(expanded);
  if (missing.length > 0) return [`${parametersPath}: empty placeholders ${missing.join(', ')}`];
  const given = Object.keys((JSON.parse(expanded) as { parameters: Record<string, unknown> }).parameters);
  const { declared, required } = bicepParameters(templatePath);
  return [
    ...given.filter((name) => !declared.includes(name)).map((name) => `${parametersPath}: ${name} is not a parameter of ${templatePath}`),
    ...required.filter((name) => !given.includes(name)).map((name) => `${parametersPath}: ${templatePath} needs ${name}`),
  ];
}

/**
 * The Entra app manifest as aadApp/update builds it (placeholders, Graph permission names to ids), into a
 * scratch folder, with the Toolkit's own warnings counted as problems.
 */
async function entraManifest(manifestPath: string): Promise<{ application?: AADApplication; problems: string[] }> {
  const folder = mkdtempSync(join(tmpdir(), 'aad-'));
  try {
    const built = await buildAadManifest({ projectPath: ROOT } as Parameters<typeof buildAadManifest>[0], manifestPath, join(folder, 'aad.manifest.json'));
    const warnings = AadManifestHelper.validateManifest(built);
    return { application: AadManifestHelper.manifestToApplication(built), problems: warnings ? [warnings] : [] };
  } catch (error) {
    return { problems: [error instanceof Error ? error.message : String(error)] };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function manifestProblems(where: string): Promise<string[]> {
  const path = join(ROOT, 'appPackage', 'manifest.json');
  const resolved = await getResolvedManifest(readFileSync(path, 'utf8'), path, ManifestType.TeamsManifest, undefined as never);
  return resolved.isErr() ? [`${where}: ${resolved.error.message}`] : [];
}

/** The text of the first `resource … '<type>@…' = {` block of infra/azure.bicep, up to its closing brace. */
function bicepResource(type: string): string {
  const bicep = readFileSync(join(ROOT, 'infra', 'azure.bicep'), 'utf8');
  const start = bicep.search(new RegExp(`^resource \\w+ '${type.replace(/[./]/g, '\\$&')}@`, 'm'));
  if (start < 0) throw new Error(`infra/azure.bicep declares no ${type}`);
  const end = bicep.indexOf('\n}\n', start);
  return bicep.slice(start, end + 2);
}

function bicepParameters(templatePath: string): { declared: string[]; required: string[] } {
  const declarations = [...readFileSync(join(ROOT, templatePath), 'utf8').matchAll(/^param (\w+) \S+( =)?/gm)];
  return {
    declared: declarations.map((match) => match[1]),
    required: declarations.filter((match) => match[2] === undefined).map((match) => match[1]),
  };
}

function bicepOutputs(templatePath: string): string[] {
  return [...readFileSync(join(ROOT, templatePath), 'utf8').matchAll(/^output (\w+) /gm)].map((match) => match[1]);
}

function minorVersion(version: string): number {
  const match = /^v1\.(\d+)$/.exec(version);
  return match ? Number(match[1]) : 0;
}
