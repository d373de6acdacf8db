import { closeOnSignals, servePlatform } from '@g2g/http';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig();
const platform = await servePlatform(
  config,
  [{ name: 'employer-api', port: config.EMPLOYER_API_PORT, create: createApp }],
  'employer-api',
);
closeOnSignals(platform);
platform.runtime.logger.info({ url: platform.servers[0]?.url }, 'employer-api listening');
