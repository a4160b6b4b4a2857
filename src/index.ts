/** The bot's process: `node lib/index.js` (npm run serve). Everything it runs is composed in src/app. */
import { main } from './app/main';

void main();
