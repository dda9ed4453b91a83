export { c } from './c.js';
export {
  Field,
  StringField,
  NumberField,
  BoolField,
  EnumField,
  ArrayField,
  RecordField,
  ObjectField,
  OptionalField,
  tomlKeyOf,
  type Infer,
  type InferShape,
  type Shape,
  type FieldKind,
  type FieldOptions,
  type StringOptions,
  type NumberOptions,
  type ArrayOptions,
  type RecordOptions,
  type ObjectOptions,
} from './fields.js';
export { ConfigError } from './ConfigError.js';
export { formatIssue, type ConfigIssue } from './ConfigIssue.js';
export { editDistance, didYouMean } from './didYouMean.js';
export { envPrefix, envSegment, genericEnvNames, type Env } from './envOverrides.js';
export {
  loadConfig,
  loadConfigFile,
  loadConfigOrExit,
  EXIT_CONFIG,
  type LoadConfigOptions,
  type LoadConfigFileOptions,
} from './loadConfig.js';
export { findRepoRoot, resolveConfigDir, resolveLogDir } from './repoPaths.js';
export { renderSchemaTable, schemaRows, type SchemaRow } from './schemaTable.js';
