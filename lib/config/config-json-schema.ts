import { z } from 'zod';
import { platformSchema } from './platform-schema';

/**
 * The config files' JSON Schema, as zod writes it from the one schema synth validates with (their input form:
 * a quantity may be a number). Descriptions are added by scripts/config-schema.js from the props' documentation.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(platformSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
