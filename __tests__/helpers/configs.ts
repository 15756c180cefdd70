import * as path from 'path';
import { loadPlatformConfigs, PlatformConfig } from '../../lib';

export const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

/** The platforms the repo ships (config/), which is what dist/ holds. */
export function shippedConfigs(): PlatformConfig[] {
  return loadPlatformConfigs(CONFIG_DIR);
}

export function shippedConfig(name: string): PlatformConfig {
  const config = shippedConfigs().find((candidate) => candidate.name === name);
  if (!config) throw new Error(`config/${name}.yaml is missing`);
  return config;
}
