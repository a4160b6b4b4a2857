#!/usr/bin/env node
'use strict';
/**
 * Builds the Teams app package: appPackage/build/appPackage.<env>.zip with manifest.json (every ${{NAME}}
 * filled in from env/.env.<env>, overridden by the process environment, with the Toolkit's rule: every value
 * must be non-empty except APP_NAME_SUFFIX) and every file the manifest names (icons, localization files).
 * Usage: npm run package -- [environment]        (default: dev)
 */
const fs = require('node:fs');
const path = require('node:path');
const { createZip } = require('./support/zip');

const ROOT = path.join(__dirname, '..');
const APP_PACKAGE = path.join(ROOT, 'appPackage');
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The one placeholder the Toolkit lets be empty (a production app without a name suffix). */
const MAY_BE_EMPTY = new Set(['APP_NAME_SUFFIX']);

/** Reads a Toolkit .env file: KEY=VALUE lines, # comments, optional quotes; empty values kept (KEY=). */
function readEnvFile(file) {
  const values = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    values[match[1]] = match[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return values;
}

/** Replaces every ${{NAME}}; returns the names it could not fill instead of leaving them in. */
function fillPlaceholders(template, values) {
  const missing = new Set();
  const text = template.replace(PLACEHOLDER, (placeholder, name) => {
    const value = values[name];
    if (value === undefined || (value === '' && !MAY_BE_EMPTY.has(name))) {
      missing.add(name);
      return placeholder;
    }
    return JSON.stringify(value).slice(1, -1); // the manifest is JSON: escape quotes and backslashes
  });
  return { text, missing: [...missing] };
}

/** The manifest of `directory` with `values` filled in, parsed; throws listing every unfilled placeholder. */
function renderManifest(values, directory = APP_PACKAGE) {
  const { text, missing } = fillPlaceholders(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8'), values);
  if (missing.length > 0) throw new Error(`No value for ${missing.join(', ')}: set them in the environment file or the environment`);
  return JSON.parse(text);
}

/** Every package file a manifest refers to: its two icons and its localization files. */
function filesNamedBy(manifest) {
  const localization = manifest.localizationInfo ?? {};
  return [
    manifest.icons.color,
    manifest.icons.outline,
    ...(localization.defaultLanguageFile ? [localization.defaultLanguageFile] : []),
    ...(localization.additionalLanguages ?? []).map((language) => language.file),
  ];
}

function buildAppPackage(values, directory = APP_PACKAGE) {
  const manifest = renderManifest(values, directory);
  const absent = filesNamedBy(manifest).filter((name) => !fs.existsSync(path.join(directory, name)));
  if (absent.length > 0) throw new Error(`The manifest names ${absent.join(', ')}, missing from ${path.relative(ROOT, directory) || '.'}`);
  return createZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    ...filesNamedBy(manifest).map((name) => ({ name, data: fs.readFileSync(path.join(directory, name)) })),
  ]);
}

function main() {
  const environment = process.argv[2] ?? 'dev';
  const envFile = path.join(ROOT, 'env', `.env.${environment}`);
  if (!fs.existsSync(envFile)) throw new Error(`No environment file ${path.relative(ROOT, envFile)}`);
  const values = { ...readEnvFile(envFile), ...process.env };
  const output = path.join(APP_PACKAGE, 'build', `appPackage.${environment}.zip`);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, buildAppPackage(values));
  console.log(`Wrote ${path.relative(ROOT, output)}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`npm run package: ${error.message}`);
    process.exitCode = 1;
  }
}

module.exports = { readEnvFile, fillPlaceholders, renderManifest, buildAppPackage };
