/**
 * The Teams Toolkit files, checked by the Toolkit's own code (@microsoft/teamsfx-core, what the CLI and VS Code
 * run), offline: every teamsapp*.yml / m365agents*.yml against its YAML schema, and for every environment (env/.env.*) the
 * placeholders of each action, of infra/azure.parameters.json and of the manifest resolved in the order
 * `provision` then `deploy` would resolve them, for a user who filled in only what the README asks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTools } from '@microsoft/teamsfx-core/build/common/globalVars';
import { resolve } from '@microsoft/teamsfx-core/build/component/configManager/lifecycle';
import type { DriverDefinition } from '@microsoft/teamsfx-core/build/component/configManager/interface';
import { yamlParser } from '@microsoft/teamsfx-core/build/component/configManager/parser';
import { convertOutputs } from '@microsoft/teamsfx-core/build/component/driver/arm/util/util';
import { getResolvedManifest } from '@microsoft/teamsfx-core/build/component/driver/teamsApp/utils/utils';
import { expandEnvironmentVariable, getEnvironmentVariables } from '@microsoft/teamsfx-core/build/component/utils/common';
import { ManifestType } from '@microsoft/teamsfx-core/build/component/utils/envFunctionUtils';
import { envUtil } from '@microsoft/teamsfx-core/build/component/utils/envUtil';
import { pathUtils } from '@microsoft/teamsfx-core/build/component/utils/pathUtils';

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
  if (action.uses === 'teamsApp/validateManifest' || action.uses === 'teamsApp/zipAppPackage') {
    problems.push(...(await manifestProblems(where)));
  }
  for (const name of Object.values(action.writeToEnvironmentFile ?? {})) process.env[name] = `${name.toLowerCase()}-from-toolkit`;
  return problems;
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

async function manifestProblems(where: string): Promise<string[]> {
  const path = join(ROOT, 'appPackage', 'manifest.json');
  const resolved = await getResolvedManifest(readFileSync(path, 'utf8'), path, ManifestType.TeamsManifest, undefined as never);
  return resolved.isErr() ? [`${where}: ${resolved.error.message}`] : [];
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
