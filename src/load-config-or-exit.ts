import { ConfigError, loadConfig, type Config } from './config.js';

/** For command-line entry points: the config, or every problem printed and exit code 1 (loadConfig stays pure). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
