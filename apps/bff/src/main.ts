import { type Config, ConfigError, loadConfig } from './config';

/**
 * Entry point. `npm start` runs it from source in development; production builds it
 * (`pnpm --filter @aihio/bff build`) and runs `node dist/main.js`. The configuration is checked
 * before anything else is loaded, so a refused start (bad variable, insecure production
 * settings) fails fast with a message naming the variable.
 */

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

try {
  const { startBff } = await import('./start');
  await startBff(config);
} catch (error: unknown) {
  // Start-up failures name the problem (database unreachable, wrong master key); never a secret.
  console.error('aihio bff failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
}
