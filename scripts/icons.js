#!/usr/bin/env node
'use strict';
/**
 * Draws the Teams app icons: a monitor with a check mark (a device that is ready).
 *   color.png   192×192, white glyph on a blue tile
 *   outline.png  32×32,  white glyph on transparent (Teams' rule for outline icons)
 * Usage: node scripts/icons.js [outputDirectory]   (default: appPackage)
 */
const fs = require('node:fs');
const path = require('node:path');
const { encodePng } = require('./support/png');

const DESIGN_SIZE = 192;
const BRAND_BLUE = [0x0f, 0x6c, 0xbd];
const WHITE = [0xff, 0xff, 0xff];
const SUPERSAMPLES = 4; // per axis: smooth edges without an anti-aliasing library

/** Signed distance from (x, y) to a rounded rectangle; negative inside. */
function roundedRectDistance(x, y, rect) {
  const halfWidth = (rect.right - rect.left) / 2 - rect.radius;
  const halfHeight = (rect.bottom - rect.top) / 2 - rect.radius;
  const dx = Math.abs(x - (rect.left + rect.right) / 2) - halfWidth;
  const dy = Math.abs(y - (rect.top + rect.bottom) / 2) - halfHeight;
  const outside = Math.hypot(Math.max(dx, 0), Math.max(dy, 0));
  return outside + Math.min(Math.max(dx, dy), 0) - rect.radius;
}

function segmentDistance(x, y, [ax, ay], [bx, by]) {
  const abx = bx - ax;
  const aby = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * abx + (y - ay) * aby) / (abx * abx + aby * aby)));
  return Math.hypot(x - (ax + t * abx), y - (ay + t * aby));
}

const SCREEN = { left: 34, top: 40, right: 158, bottom: 128, radius: 12 };
const SCREEN_BORDER = 11;
const STAND = { left: 86, top: 126, right: 106, bottom: 146, radius: 0 };
const BASE = { left: 60, top: 142, right: 132, bottom: 154, radius: 6 };
const CHECK = [[70, 86], [89, 104], [122, 67]];
const CHECK_HALF_WIDTH = 7;

/** Is the design point (x, y) part of the glyph? */
function inGlyph(x, y) {
  const screen = roundedRectDistance(x, y, SCREEN);
  if (screen <= 0 && screen > -SCREEN_BORDER) return true;
  if (roundedRectDistance(x, y, STAND) <= 0 || roundedRectDistance(x, y, BASE) <= 0) return true;
  return segmentDistance(x, y, CHECK[0], CHECK[1]) <= CHECK_HALF_WIDTH || segmentDistance(x, y, CHECK[1], CHECK[2]) <= CHECK_HALF_WIDTH;
}

/** Fraction of the pixel (px, py) of a size×size image covered by the glyph. */
function coverage(px, py, size) {
  const scale = DESIGN_SIZE / size;
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLES; sy += 1) {
    for (let sx = 0; sx < SUPERSAMPLES; sx += 1) {
      if (inGlyph((px + (sx + 0.5) / SUPERSAMPLES) * scale, (py + (sy + 0.5) / SUPERSAMPLES) * scale)) hits += 1;
    }
  }
  return hits / (SUPERSAMPLES * SUPERSAMPLES);
}

/** `background` is an RGB triple, or undefined for transparent. */
function renderIcon(size, background) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const covered = coverage(px, py, size);
      const offset = (py * size + px) * 4;
      if (background) {
        for (let channel = 0; channel < 3; channel += 1) {
          rgba[offset + channel] = Math.round(WHITE[channel] * covered + background[channel] * (1 - covered));
        }
        rgba[offset + 3] = 0xff;
      } else {
        WHITE.forEach((value, channel) => { rgba[offset + channel] = value; });
        rgba[offset + 3] = Math.round(0xff * covered);
      }
    }
  }
  return encodePng(size, size, rgba);
}

function writeIcons(directory) {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'color.png'), renderIcon(192, BRAND_BLUE));
  fs.writeFileSync(path.join(directory, 'outline.png'), renderIcon(32, undefined));
}

if (require.main === module) {
  const directory = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'appPackage'));
  writeIcons(directory);
  console.log(`Wrote color.png and outline.png to ${directory}`);
}

module.exports = { renderIcon, writeIcons };
