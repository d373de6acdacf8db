import { closeOnSignals, servePlatform } from '@g2g/http';
import { createAppFromRuntime } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const platform = await servePlatform(
  config,
  [{ name: 'ministry-api', port: config.MINISTRY_API_PORT, create: createAppFromRuntime }],
  'ministry-api',
);
closeOnSignals(platform);
platform.runtime.logger.info({ url: platform.servers[0]?.url }, 'ministry-api listening');
