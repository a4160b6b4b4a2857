import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { buildAppPackage, fillPlaceholders, readEnvFile, renderManifest } from '../scripts/package';
import { renderIcon, writeIcons } from '../scripts/icons';
import { BIND_COMMAND } from '../src/bot/features/policies/bind';
import { CANCEL_COMMAND } from '../src/bot/features/status/cancel';
import { CHECK_COMMAND } from '../src/bot/features/policies/check';
import { POLICIES_COMMAND } from '../src/bot/features/policies/listPolicies';
import { HELP_COMMAND } from '../src/bot/features/help/help';
import { GROUPS_COMMAND, MINE_COMMAND, PENDING_COMMAND } from '../src/bot/features/status/lists';
import { REGISTER_APPROVALS_COMMAND } from '../src/bot/features/policies/registerApprovals';
import { REQUEST_COMMAND } from '../src/bot/features/request/requestCommand';
import { STATUS_COMMAND } from '../src/bot/features/status/status';

const BOT_COMMANDS = [BIND_COMMAND, CANCEL_COMMAND, CHECK_COMMAND, HELP_COMMAND, GROUPS_COMMAND, MINE_COMMAND, PENDING_COMMAND, POLICIES_COMMAND, REGISTER_APPROVALS_COMMAND, REQUEST_COMMAND, STATUS_COMMAND];

const ROOT = path.join(__dirname, '..');
const MANIFEST_TEMPLATE = fs.readFileSync(path.join(ROOT, 'appPackage', 'manifest.json'), 'utf8');
const PLAYGROUND_VALUES = readEnvFile(path.join(ROOT, 'env', '.env.playground'));
const PRODUCTION_LIKE_VALUES = {
  ...readEnvFile(path.join(ROOT, 'env', '.env.dev')),
  TEAMS_APP_ID: '0d6f5c1e-3b2a-4c9d-8e7f-6a5b4c3d2e1f',
  BOT_ID: '7e2d4f6a-8b9c-4d1e-a2f3-b4c5d6e7f809',
  BOT_DOMAIN: 'adgb-bot-dev.azurewebsites.net',
  SIGN_IN_APP_ID: '3c1f0e2d-5b4a-4c6d-9e8f-7a6b5c4d3e2f',
};

/** The official schema for the manifest's own version, from @microsoft/app-manifest (offline). */
function validatorFor(manifestVersion: string) {
  const schemaPath = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object);
}

function schemaErrors(manifest: Record<string, unknown>): string[] {
  const validate = validatorFor(String(manifest.manifestVersion));
  return validate(manifest) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

interface Png {
  readonly width: number;
  readonly height: number;
  readonly colorType: number;
  /** RGBA bytes, row by row. */
  readonly pixels: Buffer;
}

/** Decodes the PNGs our encoder writes (8-bit RGBA, filter type 0) and checks every chunk's CRC. */
function decodePng(bytes: Buffer): Png {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length)).toBe(zlib.crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('no IHDR chunk');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const raw = zlib.inflateSync(Buffer.concat(data));
  const rowLength = width * 4;
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    expect(raw[y * (rowLength + 1)]).toBe(0);
    raw.copy(pixels, y * rowLength, y * (rowLength + 1) + 1, (y + 1) * (rowLength + 1));
  }
  return { width, height, colorType: header[9] ?? -1, pixels };
}

function alphaAt(png: Png, x: number, y: number): number {
  return png.pixels[(y * png.width + x) * 4 + 3] ?? -1;
}

/** Reads a zip through its central directory, inflating each entry and checking its CRC. */
function readZip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = bytes.readUInt16LE(end + 10);
  let central = bytes.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let index = 0; index < count; index += 1) {
    expect(bytes.readUInt32LE(central)).toBe(0x02014b50);
    const method = bytes.readUInt16LE(central + 10);
    const crc = bytes.readUInt32LE(central + 16);
    const compressedSize = bytes.readUInt32LE(central + 20);
    const nameLength = bytes.readUInt16LE(central + 28);
    const localOffset = bytes.readUInt32LE(central + 42);
    const name = bytes.toString('utf8', central + 46, central + 46 + nameLength);
    const localNameLength = bytes.readUInt16LE(localOffset + 26);
    const localExtraLength = bytes.readUInt16LE(localOffset + 28);
    const start = localOffset + 30 + localNameLength + localExtraLength;
    const stored = bytes.subarray(start, start + compressedSize);
    const data = method === 8 ? zlib.inflateRawSync(stored) : stored;
    expect(zlib.crc32(data)).toBe(crc);
    entries.set(name, data);
    central += 46 + nameLength + bytes.readUInt16LE(central + 30) + bytes.readUInt16LE(central + 32);
  }
  return entries;
}

describe('appPackage/manifest.json', () => {
  it('is valid against the official schema of its version once the playground values are filled in', () => {
    const manifest = renderManifest(PLAYGROUND_VALUES);
    expect(manifest.manifestVersion).toBe('1.22');
    expect(schemaErrors(manifest)).toEqual([]);
  });

  it('is valid with the values an Azure provision writes', () => {
    expect(schemaErrors(renderManifest(PRODUCTION_LIKE_VALUES))).toEqual([]);
  });

  it('is checked by a validator that does reject a broken manifest', () => {
    const manifest = renderManifest(PLAYGROUND_VALUES);
    const { id: _id, ...withoutId } = manifest;
    expect(schemaErrors({ ...withoutId, accentColor: 'blue' })).toEqual(
      expect.arrayContaining([expect.stringContaining("must have required property 'id'"), expect.stringMatching(/^\/accentColor /)]),
    );
  });

  it.each([['playground', PLAYGROUND_VALUES], ['Azure', PRODUCTION_LIKE_VALUES]])('names the sign-in app for Teams SSO and lets the Bot Framework sign-in page open (%s)', (_environment, values) => {
    const manifest = renderManifest(values) as { webApplicationInfo: { id: string; resource: string }; validDomains: string[] };
    expect(manifest.webApplicationInfo).toEqual({ id: values.SIGN_IN_APP_ID, resource: `api://botid-${values.SIGN_IN_APP_ID}` });
    expect(manifest.validDomains).toEqual([values.BOT_DOMAIN, 'token.botframework.com']);
  });

  it('declares a bot for personal, team and group chat with a command list for each scope', () => {
    const manifest = renderManifest(PLAYGROUND_VALUES) as { bots: Array<{ botId: string; scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }> };
    const [bot] = manifest.bots;
    expect(bot?.botId).toBe(PLAYGROUND_VALUES.BOT_ID);
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot?.commandLists.flatMap((list) => list.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot?.commandLists.find((list) => list.scopes.includes('team'))?.commands.map((command) => command.title)).toContain('register approvals');
  });

  it('lists only commands the bot routes (Teams sends the title as the message text)', () => {
    const manifest = renderManifest(PLAYGROUND_VALUES) as { bots: Array<{ commandLists: Array<{ commands: Array<{ title: string }> }> }> };
    const titles = manifest.bots.flatMap((bot) => bot.commandLists.flatMap((list) => list.commands.map((command) => command.title)));
    expect(titles.filter((title) => !BOT_COMMANDS.some((pattern) => pattern.test(title)))).toEqual([]);
    expect(new Set(titles).size).toBe(11);
  });

  it('offers a command menu and no prompt starters, because the bot sends a welcome message', () => {
    // Microsoft Learn, "Create prompt suggestions": a bot uses either prompt starters or a welcome message, not
    // both; prompt starters are the commands of type "prompt" ("Highlight agent capabilities with prompt starters").
    const manifest = renderManifest(PLAYGROUND_VALUES) as { bots: Array<{ commandLists: Array<{ scopes: string[]; commands: Array<{ type?: string }> }> }> };
    const lists = manifest.bots.flatMap((bot) => bot.commandLists);
    expect(lists.flatMap((list) => list.commands).filter((command) => (command.type ?? 'basic') !== 'basic')).toEqual([]);
    for (const scope of ['personal', 'team']) {
      const commands = lists.filter((list) => list.scopes.includes(scope)).flatMap((list) => list.commands);
      expect(commands.length).toBeGreaterThan(0);
      expect(commands.length).toBeLessThanOrEqual(10);
    }
  });

  it.each(['dev', 'local', 'playground'])('has every placeholder declared in env/.env.%s', (environment) => {
    const declared = Object.keys(readEnvFile(path.join(ROOT, 'env', `.env.${environment}`)));
    const placeholders = [...MANIFEST_TEMPLATE.matchAll(/\$\{\{(\w+)\}\}/g)].map((match) => match[1]);
    expect(placeholders.filter((name) => !declared.includes(name ?? ''))).toEqual([]);
  });

  it('refuses to render with values missing, naming each of them once', () => {
    const { TEAMS_APP_ID: _app, BOT_ID: _bot, ...partial } = PLAYGROUND_VALUES;
    expect(() => renderManifest(partial)).toThrow('No value for TEAMS_APP_ID, BOT_ID: set them in the environment file or the environment');
  });

  it('escapes values so the manifest stays JSON', () => {
    expect(fillPlaceholders('{"name":"${{NAME}}"}', { NAME: 'Contoso "IT" \\ desk' })).toEqual({ text: '{"name":"Contoso \\"IT\\" \\\\ desk"}', missing: [] });
  });

  it('commits no secrets in the environment files', () => {
    for (const environment of ['dev', 'local', 'playground']) {
      const names = Object.keys(readEnvFile(path.join(ROOT, 'env', `.env.${environment}`)));
      expect(names.filter((name) => /SECRET|PASSWORD|TOKEN/.test(name))).toEqual([]);
    }
  });
});

describe('icons', () => {
  it('commits a 192×192 opaque color icon', () => {
    const png = decodePng(fs.readFileSync(path.join(ROOT, 'appPackage', 'color.png')));
    expect([png.width, png.height, png.colorType]).toEqual([192, 192, 6]);
    for (let index = 3; index < png.pixels.length; index += 4) expect(png.pixels[index]).toBe(255);
  });

  it('commits a 32×32 outline icon that is white on transparent', () => {
    const png = decodePng(fs.readFileSync(path.join(ROOT, 'appPackage', 'outline.png')));
    expect([png.width, png.height, png.colorType]).toEqual([32, 32, 6]);
    const nonWhite = [];
    for (let index = 0; index < png.pixels.length; index += 4) {
      if (png.pixels[index] !== 255 || png.pixels[index + 1] !== 255 || png.pixels[index + 2] !== 255) nonWhite.push(index / 4);
    }
    expect(nonWhite).toEqual([]);
    expect([alphaAt(png, 0, 0), alphaAt(png, 31, 0), alphaAt(png, 0, 31), alphaAt(png, 31, 31)]).toEqual([0, 0, 0, 0]);
    const opaque = Array.from({ length: 32 * 32 }, (_, pixel) => png.pixels[pixel * 4 + 3] ?? 0).filter((alpha) => alpha === 255);
    expect(opaque.length).toBeGreaterThan(50);
  });

  it('are what scripts/icons.js draws today', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'icons-'));
    writeIcons(directory);
    for (const name of ['color.png', 'outline.png']) {
      expect(fs.readFileSync(path.join(directory, name)).equals(fs.readFileSync(path.join(ROOT, 'appPackage', name)))).toBe(true);
    }
    fs.rmSync(directory, { recursive: true });
  });

  it('renders any size', () => {
    const png = decodePng(renderIcon(64, undefined));
    expect([png.width, png.height]).toEqual([64, 64]);
  });
});

describe('npm run package', () => {
  it('zips the filled-in manifest with both icons', () => {
    const entries = readZip(buildAppPackage(PLAYGROUND_VALUES));
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const manifestText = entries.get('manifest.json')?.toString('utf8') ?? '';
    expect(manifestText).not.toContain('${{');
    expect(schemaErrors(JSON.parse(manifestText) as Record<string, unknown>)).toEqual([]);
    expect(entries.get('color.png')?.equals(fs.readFileSync(path.join(ROOT, 'appPackage', 'color.png')))).toBe(true);
  });

  it('gives the same bytes for the same inputs', () => {
    expect(buildAppPackage(PLAYGROUND_VALUES).equals(buildAppPackage(PLAYGROUND_VALUES))).toBe(true);
  });

  it('accepts an empty APP_NAME_SUFFIX, as the Toolkit does (a production app without a suffix)', () => {
    const manifest = renderManifest({ ...PRODUCTION_LIKE_VALUES, APP_NAME_SUFFIX: '' }) as { name: { short: string } };
    expect(manifest.name.short).not.toMatch(/\$\{\{|\s$/);
    expect(() => renderManifest({ ...PRODUCTION_LIKE_VALUES, BOT_DOMAIN: '' })).toThrow('No value for BOT_DOMAIN');
  });

  describe('with a manifest that names more files', () => {
    let directory: string;
    beforeEach(() => {
      directory = fs.mkdtempSync(path.join(os.tmpdir(), 'app-package-'));
      for (const icon of ['color.png', 'outline.png']) fs.copyFileSync(path.join(ROOT, 'appPackage', icon), path.join(directory, icon));
    });
    afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

    function writeManifest(change: (manifest: Record<string, unknown>) => void): void {
      const manifest = JSON.parse(MANIFEST_TEMPLATE) as Record<string, unknown>;
      change(manifest);
      fs.writeFileSync(path.join(directory, 'manifest.json'), JSON.stringify(manifest));
    }

    it('includes every localization file it names', () => {
      fs.writeFileSync(path.join(directory, 'fr.json'), '{"name.short":"Groupes Autopilot"}');
      writeManifest((manifest) => {
        manifest.localizationInfo = { defaultLanguageTag: 'en-us', additionalLanguages: [{ languageTag: 'fr-fr', file: 'fr.json' }] };
      });
      expect([...readZip(buildAppPackage(PLAYGROUND_VALUES, directory)).keys()]).toEqual(['manifest.json', 'color.png', 'outline.png', 'fr.json']);
    });

    it('refuses a file it names that is not there', () => {
      writeManifest((manifest) => {
        manifest.localizationInfo = { defaultLanguageTag: 'en-us', additionalLanguages: [{ languageTag: 'de-de', file: 'de.json' }] };
      });
      expect(() => buildAppPackage(PLAYGROUND_VALUES, directory)).toThrow(/The manifest names de\.json, missing from/);
    });

    it('refuses two entries of one name', () => {
      writeManifest((manifest) => {
        manifest.icons = { color: 'color.png', outline: 'color.png' };
      });
      expect(() => buildAppPackage(PLAYGROUND_VALUES, directory)).toThrow('Duplicate zip entries: color.png');
    });
  });
});
