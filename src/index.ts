/** The bot's process: `node lib/index.js` (npm run serve). Everything it runs is composed in src/app. */
import { holdBackProcessWarnings } from './app/processWarnings';

const warnings = holdBackProcessWarnings();
// Loaded only now, so that the warnings restify's dependencies emit as they load reach the JSON log.
void import('./app/main').then(({ main }) => main(warnings));
