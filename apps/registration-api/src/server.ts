import { closeOnSignals, servePlatform } from '@g2g/http';
import { createAppFromRuntime } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const platform = await servePlatform(
  config,
  [{ name: 'registration-api', port: config.REGISTRATION_API_PORT, create: createAppFromRuntime }],
  'registration-api',
);
closeOnSignals(platform);
platform.runtime.logger.info({ url: platform.servers[0]?.url }, 'registration-api listening');
